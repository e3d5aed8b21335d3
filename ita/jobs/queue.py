"""The jobs table as a queue: enqueue, claim, finish.

Claiming works the same way on both databases: pick the oldest ready row, then flip it with
``UPDATE ... WHERE id = ? AND state = 'queued'`` and keep it only if that touched one row.
On PostgreSQL the pick is ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers pass
over each other's rows instead of queueing behind them; on SQLite (no row locks) the
transaction is BEGIN IMMEDIATE (settings), which serialises claims, and the conditional
UPDATE is what guarantees a row is claimed once."""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ita.jobs.models import Job, JobState

log = logging.getLogger(__name__)

Handler = Callable[[Job], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}
LEASE = dt.timedelta(minutes=15)  # a running job older than this belongs to a dead worker


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind`` (apps do this in ``ready()``)."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


CHANNEL = "ita_jobs"


def enqueue(kind: str, payload: dict[str, Any], *, run_after: dt.datetime | None = None) -> Job:
    """Queue a job. Call it inside the transaction that made the work necessary: the row
    commits (and becomes visible to workers) with that transaction or not at all, so a
    worker never sees a job for data that is not there, and no job is lost between a
    commit and a callback. Once it has committed, ``on_commit`` wakes idle workers."""
    job = Job.objects.create(kind=kind, payload=payload, run_after=run_after or timezone.now())
    transaction.on_commit(wake_workers)
    return job


def wake_workers() -> None:
    """Tell idle workers on PostgreSQL that a job is ready (LISTEN/NOTIFY); elsewhere they poll."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def wait_for_work(seconds: float) -> None:
    """Idle until a job may be ready: woken by NOTIFY on PostgreSQL, else a plain wait."""
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        time.sleep(seconds)
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.execute(f"LISTEN {CHANNEL}")
    for _notice in raw.notifies(timeout=seconds, stop_after=1):
        pass


def claim(worker: str, kinds: list[str] | None = None) -> Job | None:
    now = timezone.now()
    with transaction.atomic():
        ready = Job.objects.filter(state=JobState.QUEUED, run_after__lte=now)
        if kinds:
            ready = ready.filter(kind__in=kinds)
        if connection.features.has_select_for_update_skip_locked:
            ready = ready.select_for_update(skip_locked=True)
        job = ready.order_by("run_after", "id").first()
        if job is None:
            return None
        flipped = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
            state=JobState.RUNNING, locked_by=worker, locked_at=now, attempts=F("attempts") + 1
        )
        if flipped != 1:
            return None
    job.refresh_from_db()
    return job


def run_one(worker: str, kinds: list[str] | None = None) -> Job | None:
    """Claim and run one job; None when nothing was ready."""
    job = claim(worker, kinds)
    if job is None:
        return None
    fn = HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        result = fn(job)
    except Exception as exc:  # a job's failure must not stop the worker
        log.warning("job %s failed: %s", job, exc)
        _fail(job, worker, "".join(traceback.format_exception_only(exc)).strip())
    else:
        Job.objects.filter(pk=job.pk, locked_by=worker).update(
            state=JobState.DONE, result=result, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _fail(job: Job, worker: str, error: str) -> None:
    final = job.attempts >= job.max_attempts
    retry_at = timezone.now() + dt.timedelta(seconds=30 * 2**job.attempts)
    Job.objects.filter(pk=job.pk, locked_by=worker).update(
        state=JobState.FAILED if final else JobState.QUEUED,
        error=error,
        run_after=retry_at,
        finished_at=timezone.now() if final else None,
        locked_by="" if not final else worker,
    )


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Give the jobs of a worker that died mid-job back to the queue (after the lease)."""
    cutoff = (now or timezone.now()) - LEASE
    return Job.objects.filter(state=JobState.RUNNING, locked_at__lt=cutoff).update(state=JobState.QUEUED, locked_by="")
