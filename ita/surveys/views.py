"""What respondents see: the code entry page, the IIT/EIT form, the thank-you page.

These views are CSRF-exempt on purpose: respondents have no session to protect, and every
post must carry a signed one-time form token issued with the page, which does that job (a
forged or replayed post stores nothing). They never touch the session, so a respondent
leaves no server-side trace beyond the answers themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from ita.assessments.models import AssessmentPhase, UnitAssessment
from ita.surveys.codes import code_digest, looks_like_code, normalize
from ita.surveys.collect import (
    Refused,
    Target,
    check_category,
    do_submit,
    make_form_token,
    parse_answers,
    read_form_token,
    target_from_token,
)
from ita.surveys.models import EitLink, SurveyCode
from ita.surveys.questionnaire import questionnaire_html

# reason -> (HTTP status, heading, explanation); every refusal stores nothing.
REFUSALS: dict[str, tuple[int, Any, Any]] = {
    "unknown_code": (
        404,
        _("ไม่พบรหัสนี้"),
        _("ตรวจสอบรหัสบนบัตรอีกครั้ง (ไม่ต้องสนใจตัวพิมพ์เล็ก/ใหญ่หรือขีด) หากยังไม่ได้ ให้ติดต่อผู้ประสานงานของหน่วยงาน"),
    ),
    "code_used": (
        409,
        _("รหัสนี้ถูกใช้ตอบแล้ว"),
        _("รหัสแต่ละรหัสใช้ตอบได้เพียงครั้งเดียว หากคุณยังไม่ได้ตอบ ให้ขอรหัสใหม่จากผู้ประสานงานของหน่วยงาน"),
    ),
    "unknown_link": (404, _("ไม่พบแบบวัดนี้"), _("ลิงก์หรือคิวอาร์โค้ดนี้ไม่ถูกต้อง โปรดสแกนจากโปสเตอร์ของหน่วยงานอีกครั้ง")),
    "closed": (403, _("ขณะนี้ไม่อยู่ในช่วงเวลาตอบแบบวัด"), _("แบบวัดนี้ยังไม่เปิดหรือปิดรับคำตอบแล้ว คำตอบของคุณไม่ได้ถูกบันทึก")),
    "forged_token": (
        400,
        _("แบบฟอร์มไม่ถูกต้อง"),
        _("แบบฟอร์มนี้ไม่ได้ออกโดยระบบหรือถูกแก้ไข คำตอบไม่ได้ถูกบันทึก โปรดเปิดแบบวัดใหม่อีกครั้ง"),
    ),
    "expired": (400, _("แบบฟอร์มหมดอายุ"), _("เปิดแบบฟอร์มนี้ไว้นานเกินไป คำตอบไม่ได้ถูกบันทึก โปรดเปิดแบบวัดใหม่และตอบอีกครั้ง")),
    "malformed": (400, _("ข้อมูลที่ส่งมาไม่ถูกต้อง"), _("คำตอบที่ส่งมามีข้อมูลที่ไม่ใช่ตัวเลือกของแบบวัด จึงไม่ได้บันทึก โปรดเปิดแบบวัดใหม่อีกครั้ง")),
    "too_big": (413, _("ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป"), _("ระบบรับเฉพาะคำตอบของแบบวัดเท่านั้น คำตอบไม่ได้ถูกบันทึก")),
    "device_done": (200, _("อุปกรณ์นี้ตอบแบบวัดนี้แล้ว"), _("ขอบคุณที่ตอบแบบวัด แต่ละคนตอบได้ครั้งเดียว")),
    "rate_limited": (
        429,
        _("ส่งคำตอบถี่เกินไป"),
        _("มีการส่งคำตอบจากเครือข่ายนี้จำนวนมากในช่วงสั้น ๆ โปรดลองใหม่ในอีกสักครู่ คำตอบนี้ไม่ได้ถูกบันทึก"),
    ),
}


def respondent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """What every respondent page shares: no CSRF cookie (the signed one-time form token does
    that job), never cached, and the language from ``?lang=`` (th or en) when given, so the
    switch needs no session or cookie either."""

    @csrf_exempt
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lang = request.GET.get("lang", "")
        if lang not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"path": request.path, **context}, status=status)


def refusal(request: HttpRequest, reason: str) -> HttpResponse:
    status, title, body = REFUSALS[reason]
    return _page(request, "surveys/message.html", {"title": title, "body": body, "reason": reason}, status=status)


PHASE_CACHE_SECONDS = 30
_phases: dict[tuple[int, str], tuple[float, dt.datetime | None, dt.datetime | None]] = {}


def forget_phases() -> None:
    _phases.clear()


def phase_open(assessment_id: int, tool: str) -> bool:
    """Whether the collection window is open now. The window's bounds are kept per process
    for half a minute (a calendar edit takes that long to reach every worker); the bounds
    themselves are compared with the clock on every request."""
    key = (assessment_id, tool.lower())
    cached = _phases.get(key)
    if cached is None or time.monotonic() - cached[0] > PHASE_CACHE_SECONDS:
        bounds = (
            AssessmentPhase.objects.filter(assessment_id=assessment_id, kind=key[1])
            .values_list("starts_at", "ends_at")
            .first()
        )
        cached = (time.monotonic(), *(bounds or (None, None)))
        _phases[key] = cached
    _, starts, ends = cached
    return starts is not None and ends is not None and starts <= timezone.now() < ends


_TARGET_FIELDS = (
    "unit_assessment_id",
    "unit_assessment__assessment_id",
    "unit_assessment__assessment__framework_id",
    "unit_assessment__unit__name_th",
    "unit_assessment__assessment__name_th",
)


def _lookup(model: Any, key: str, value: str, fields: tuple[str, ...]) -> dict[str, Any] | None:
    """One row of ``model`` with its target's ids and names, by a unique key: the page load's
    only query, its SQL compiled once per process rather than on every request."""
    sql, columns = _lookup_sql(model, key, fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(columns, found, strict=True))
    if "used" in row or "requires_code" in row:  # SQLite hands booleans back as 0/1
        row = {k: bool(v) if k in ("used", "requires_code") else v for k, v in row.items()}
    return row


@lru_cache(maxsize=8)
def _lookup_sql(model: Any, key: str, fields: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    columns = (*fields, *_TARGET_FIELDS)
    query = model.objects.filter(**{key: "%s"}).values(*columns).order_by()[:1].query
    sql, params = query.sql_with_params()
    assert list(params) == ["%s"], params
    return sql, columns


def _target(row: dict[str, Any], tool: str, **extra: str) -> Target:
    return Target(
        ua_id=row["unit_assessment_id"],
        assessment_id=row["unit_assessment__assessment_id"],
        framework_id=row["unit_assessment__assessment__framework_id"],
        tool=tool,
        unit_name=row["unit_assessment__unit__name_th"],
        assessment_name=row["unit_assessment__assessment__name_th"],
        **extra,
    )


@respondent_page
def code_entry(request: HttpRequest) -> HttpResponse:
    """Type the code from a slip (for those who do not scan the QR code)."""
    error = ""
    if request.method == "POST":
        raw = request.POST.get("code", "")
        if looks_like_code(raw):
            return HttpResponseRedirect(reverse("surveys:code", args=[normalize(raw)]))
        error = _("รหัสต้องมี 10 ตัวอักษร เช่น ABCDE-FGH23")
    return _page(request, "surveys/code_entry.html", {"error": error}, status=400 if error else 200)


@respondent_page
def code_form(request: HttpRequest, code: str) -> HttpResponse:
    """The form opened by a single-use code (IIT, or EIT in one-time-code mode)."""
    if not looks_like_code(code):
        return refusal(request, "unknown_code")
    digest = code_digest(code)
    if request.method == "POST":
        return _take_code(request, digest)
    row = _lookup(SurveyCode, "digest", digest, ("tool", "used"))
    if row is None:
        return refusal(request, "unknown_code")
    target = _target(row, row["tool"], code_digest=digest)
    if not phase_open(target.assessment_id, target.tool):
        return refusal(request, "closed")
    if row["used"]:
        return refusal(request, "code_used")
    return _form(request, target, make_form_token(target))


def device_cookie(link_token: str) -> str:
    return "ita_eit_" + hashlib.sha256(link_token.encode()).hexdigest()[:12]


@respondent_page
def eit_form(request: HttpRequest, token: str) -> HttpResponse:
    """The unit's public EIT link (from its QR poster)."""
    row = _lookup(EitLink, "token", token, ("requires_code",))
    if row is None:
        return refusal(request, "unknown_link")
    target = _target(row, "EIT", link_token=token)
    if not phase_open(target.assessment_id, "EIT"):
        return refusal(request, "closed")
    if row["requires_code"]:
        return _page(request, "surveys/code_entry.html", {"unit_name": target.unit_name, "eit": True})
    if request.COOKIES.get(device_cookie(token)):
        return refusal(request, "device_done")
    if request.method == "POST":
        if over_rate_limit(request):
            return refusal(request, "rate_limited")
        return _take(request, target)
    return _form(request, target, make_form_token(target))


def over_rate_limit(request: HttpRequest) -> bool:
    """Posts per network address per 10 minutes, counted in the cache only: the address is
    hashed for the key and never reaches the database."""
    address = request.META.get("REMOTE_ADDR", "")
    window = int(timezone.now().timestamp()) // 600
    key = "ita:rl:" + hashlib.sha256(f"{address}:{window}".encode()).hexdigest()[:24]
    if cache.add(key, 1, timeout=660):
        return False
    try:
        return cache.incr(key) > settings.ITA_SURVEY_RATE_LIMIT
    except ValueError:  # expired between add and incr
        return False


_TOKEN, _ACTION, _PATH = "__ita_token__", "__ita_action__", "__ita_path__"


def _form(
    request: HttpRequest,
    target: Target,
    token: str,
    *,
    chosen: dict[str, int] | None = None,
    missing: list[str] | None = None,
    category: str = "",
    category_missing: bool = False,
) -> HttpResponse:
    lang = translation.get_language() or "th"
    action = request.path + (f"?lang={request.GET['lang']}" if request.GET.get("lang") in ("th", "en") else "")
    if chosen or missing or category_missing:  # sent back with its problems: rendered afresh
        html = _form_html(target, lang, chosen or {}, missing or [], category, category_missing)
    else:  # the blank form is the same for everyone at this unit: rendered once per process
        html = _blank_form_html(
            target.ua_id,
            target.assessment_id,
            target.framework_id,
            target.tool,
            target.unit_name,
            target.assessment_name,
            lang,
        )
    page = html.replace(_TOKEN, token).replace(_ACTION, escape(action)).replace(_PATH, escape(request.path))
    return HttpResponse(page)


@lru_cache(maxsize=256)
def _blank_form_html(
    ua_id: int, assessment_id: int, framework_id: int, tool: str, unit: str, assessment: str, lang: str
) -> str:
    target = Target(
        ua_id=ua_id,
        assessment_id=assessment_id,
        framework_id=framework_id,
        tool=tool,
        unit_name=unit,
        assessment_name=assessment,
    )
    return _form_html(target, lang, {}, [], "", False)


def _form_html(
    target: Target, lang: str, chosen: dict[str, int], missing: list[str], category: str, category_missing: bool
) -> str:
    spec = target.spec
    if not target.unit_name:  # built from a posted token: names for the heading
        names = (
            UnitAssessment.objects.filter(pk=target.ua_id).values_list("unit__name_th", "assessment__name_th").first()
        )
        target = replace(target, unit_name=(names or ("", ""))[0], assessment_name=(names or ("", ""))[1])
    context = {
        "target": target,
        "token": _TOKEN,
        "action": _ACTION,
        "path": _PATH,
        "tool": spec.tool(target.tool),
        "questions": questionnaire_html(spec, target.tool, chosen, set(missing)),
        "categories": spec.respondent_categories if target.tool == "EIT" else (),
        "category": category,
        "category_missing": category_missing,
        "missing": missing,
        "missing_links": [(key, "q-" + key.replace(".", "-")) for key in missing],
        "english": lang.startswith("en"),
        "count": len(spec.sub_items_of(target.tool)),
        "min_group_size": spec.min_group_size,
    }
    with translation.override(lang):
        return render_to_string("surveys/form.html", context)


def _take_code(request: HttpRequest, digest: str) -> HttpResponse:
    """A code form's post: its target comes from its signed token, not from a lookup."""
    try:
        target, _token = target_from_token(request.POST.get("token", ""), digest)
    except (RequestDataTooBig, TooManyFieldsSent):
        return refusal(request, "too_big")
    except Refused as refused:
        return refusal(request, refused.reason)
    if not phase_open(target.assessment_id, target.tool):
        return refusal(request, "closed")
    return _take(request, target)


def _take(request: HttpRequest, target: Target) -> HttpResponse:
    try:
        post = request.POST
        token = read_form_token(post.get("token", ""), target)
        answers, missing = parse_answers(target.spec, target.tool, post)
        category, category_missing = check_category(target.spec, target.tool, post.get("category", ""))
    except (RequestDataTooBig, TooManyFieldsSent):
        return refusal(request, "too_big")
    except Refused as refused:
        return refusal(request, refused.reason)
    if missing or category_missing:
        return _form(
            request,
            target,
            post["token"],
            chosen=answers,
            missing=missing,
            category=category,
            category_missing=category_missing,
        )
    try:
        do_submit(target, token, answers, category)
    except Refused as refused:
        return refusal(request, refused.reason)
    lang = request.GET.get("lang")
    response = HttpResponseRedirect(reverse("surveys:thanks") + (f"?lang={lang}" if lang in ("th", "en") else ""))
    response.status_code = 303
    if target.link_token:
        response.set_cookie(
            device_cookie(target.link_token),
            "1",
            max_age=400 * 86400,
            httponly=True,
            samesite="Lax",
            path="/s/",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@respondent_page
def thanks(request: HttpRequest) -> HttpResponse:
    """The same page for a first post and for its retries: nothing on it identifies the sheet."""
    return _page(request, "surveys/thanks.html", {})
