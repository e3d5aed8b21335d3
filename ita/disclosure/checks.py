"""Link checks as background jobs: queue them, run them (``linkcheck`` job kind), keep the
snapshot, and flag links that died or changed since the unit submitted them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from ita.accounts.models import Actor
from ita.assessments.models import UnitAssessment
from ita.audit.services import record
from ita.disclosure.fetch import FetchResult, fetch
from ita.disclosure.models import CheckFlag, EvidenceLink, ItemState, LinkCheck
from ita.jobs.models import Job
from ita.jobs.queue import enqueue, handler

KIND = "linkcheck"
SNAPSHOT_DIR = "oit-snapshots"
EXTENSIONS = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf"}


def enqueue_checks(links: Iterable[EvidenceLink], *, purpose: str) -> list[Job]:
    return [enqueue(KIND, {"link": link.pk, "purpose": purpose}) for link in links]


@transaction.atomic
def do_recheck(ua: UnitAssessment, *, actor: Actor) -> int:
    """Queue a fresh check of every submitted link of the unit (before review)."""
    links = EvidenceLink.objects.filter(item__unit_assessment=ua).exclude(item__state=ItemState.DRAFT)
    jobs = enqueue_checks(links, purpose="recheck")
    record(
        "evidence.recheck_requested",
        actor=actor,
        unit=ua.unit,
        target=ua,
        links=len(jobs),
    )
    return len(jobs)


def fetch_link(url: str) -> FetchResult:
    return fetch(
        url,
        allow_loopback=settings.ITA_LINKCHECK_ALLOW_LOOPBACK,
        timeout=settings.ITA_LINKCHECK_TIMEOUT,
        max_bytes=settings.ITA_SNAPSHOT_MAX_BYTES,
    )


@handler(KIND)
def run_linkcheck(job: Job) -> dict[str, Any]:
    link = EvidenceLink.objects.select_related("baseline").filter(pk=job.payload["link"]).first()
    if link is None:  # the coordinator removed the link since
        return {"skipped": "link gone"}
    check = store_check(link, fetch_link(link.url), purpose=job.payload.get("purpose", "submission"), job_id=job.pk)
    return {"check": check.pk, "flag": check.flag, "status": check.status}


def store_check(link: EvidenceLink, result: FetchResult, *, purpose: str, job_id: int | None = None) -> LinkCheck:
    snapshot = ""
    if result.body is not None and result.ok and purpose == "submission":
        ext = EXTENSIONS.get(result.content_type, "bin")
        name = f"{SNAPSHOT_DIR}/{result.sha256[:2]}/{result.sha256}.{ext}"  # content-addressed: stored once
        snapshot = name if default_storage.exists(name) else default_storage.save(name, ContentFile(result.body))
    check = LinkCheck(
        link=link,
        purpose=purpose,
        job_id=job_id,
        ok=result.ok,
        status=result.status,
        final_url=result.final_url[:1000],
        content_type=result.content_type[:120],
        charset=result.charset[:40],
        title=result.title,
        size=result.size,
        sha256=result.sha256,
        elapsed_ms=result.elapsed_ms,
        error=result.error[:300],
        tls_note=result.tls_note[:200],
        snapshot=snapshot,
        flag=flag_for(link.baseline, result),
    )
    with transaction.atomic():
        check.save()
        fields = {"latest": check}
        if link.baseline_id is None and purpose == "submission":
            fields["baseline"] = check
        EvidenceLink.objects.filter(pk=link.pk).update(**fields)
    return check


def flag_for(baseline: LinkCheck | None, result: FetchResult) -> str:
    if result.refused:
        return CheckFlag.REFUSED
    if not result.ok:
        return CheckFlag.DEAD
    if baseline is not None and baseline.ok and baseline.sha256 and baseline.sha256 != result.sha256:
        return CheckFlag.CHANGED
    return CheckFlag.OK
