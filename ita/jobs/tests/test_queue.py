from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from ita.jobs import queue
from ita.jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


@pytest.fixture
def echo_handler() -> Any:
    ran: list[int] = []

    def echo(job: Job) -> dict[str, Any]:
        ran.append(job.pk)
        if job.payload.get("boom"):
            raise RuntimeError("boom")
        return {"echo": job.payload["n"]}

    queue.HANDLERS["test.echo"] = echo
    yield ran
    del queue.HANDLERS["test.echo"]


def test_a_claimed_job_cannot_be_claimed_again() -> None:
    job = queue.enqueue("test.echo", {"n": 1})
    first = queue.claim("w1")
    assert first is not None and first.pk == job.pk and first.locked_by == "w1" and first.attempts == 1
    assert queue.claim("w2") is None
    assert Job.objects.get(pk=job.pk).locked_by == "w1"


def test_a_job_runs_once_and_keeps_its_result(echo_handler: list[int]) -> None:
    job = queue.enqueue("test.echo", {"n": 7})
    done = queue.run_one("w1")
    assert done is not None and done.state == JobState.DONE and done.result == {"echo": 7}
    assert queue.run_one("w1") is None
    assert echo_handler == [job.pk]


def test_a_failing_job_goes_back_to_the_queue_later_and_fails_for_good_after_its_attempts(
    echo_handler: list[int],
) -> None:
    job = queue.enqueue("test.echo", {"n": 1, "boom": True})
    Job.objects.filter(pk=job.pk).update(max_attempts=2)
    first = queue.run_one("w1")
    assert first is not None and first.state == JobState.QUEUED and "boom" in first.error
    assert queue.run_one("w1") is None  # not ready before its back-off
    Job.objects.filter(pk=job.pk).update(run_after=job.run_after)
    second = queue.run_one("w1")
    assert second is not None and second.state == JobState.FAILED and second.attempts == 2


def test_a_job_of_an_unknown_kind_is_recorded_as_an_error_not_a_crash() -> None:
    queue.enqueue(
        "test.nobody",
        {},
    )
    job = queue.run_one("w1")
    assert job is not None and "no handler" in job.error


def test_the_worker_command_in_burst_mode_works_the_queue_empty(echo_handler: list[int]) -> None:
    for n in range(3):
        queue.enqueue("test.echo", {"n": n})
    call_command("worker", "--burst", verbosity=0)
    assert list(Job.objects.values_list("state", flat=True)) == [JobState.DONE] * 3
    assert len(echo_handler) == 3


def test_the_worker_command_with_once_runs_a_single_job(echo_handler: list[int]) -> None:
    for n in range(2):
        queue.enqueue("test.echo", {"n": n})
    call_command("worker", "--once", verbosity=0)
    assert len(echo_handler) == 1


def test_a_job_left_running_by_a_dead_worker_is_requeued_after_its_lease() -> None:
    job = queue.enqueue("test.echo", {"n": 1})
    claimed = queue.claim("dead")
    assert claimed is not None
    assert queue.requeue_stale() == 0
    assert claimed.locked_at is not None
    assert queue.requeue_stale(now=claimed.locked_at + queue.LEASE * 2) == 1
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


def test_an_enqueued_job_wakes_the_workers_only_once_its_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        queue.enqueue("test.echo", {"n": 1})
        assert Job.objects.count() == 1  # the row is written in the caller's transaction
    assert callbacks == [queue.wake_workers]
