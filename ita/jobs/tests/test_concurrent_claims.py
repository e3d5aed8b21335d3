"""Workers claiming at the same time never get the same job (PostgreSQL: SKIP LOCKED; SQLite:
IMMEDIATE transactions and the conditional flip)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ita.jobs import queue
from ita.jobs.models import Job, JobState


@pytest.mark.django_db(transaction=True)
def test_four_workers_claiming_at_once_share_the_jobs_without_overlap() -> None:
    if connection.vendor != "postgresql":
        # The test database on SQLite is a shared-cache in-memory one, whose table locks do not
        # wait (no busy timeout); the file database with WAL is exercised by `ita bench linkcheck`.
        pytest.skip("concurrent connections need PostgreSQL or a file SQLite database")
    Job.objects.bulk_create([Job(kind="test.concurrent", payload={"n": n}) for n in range(60)])
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(name: str) -> None:
        mine: list[int] = []
        try:
            start.wait()
            while (job := queue.claim(name, ["test.concurrent"])) is not None:
                mine.append(job.pk)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            claimed[name] = mine
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    every = [pk for ids in claimed.values() for pk in ids]
    assert len(every) == len(set(every)) == 60
    assert dict(Job.objects.values_list("id", "locked_by")) == {pk: name for name, ids in claimed.items() for pk in ids}
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.RUNNING}
