"""What respondents see: the code entry page, the IIT/EIT form, the thank-you page.

These views are CSRF-exempt on purpose: respondents have no session to protect, and every
post must carry a signed one-time form token issued with the page, which does that job (a
forged or replayed post stores nothing). They never touch the session, so a respondent
leaves no server-side trace beyond the answers themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
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
from django.views.decorators.debug import sensitive_post_parameters

from ita.assessments.calendar import display_moment
from ita.assessments.models import AssessmentPhase, AssessmentState, UnitAssessment
from ita.lib import caches as process_caches
from ita.lib.caches import process_cache
from ita.lib.net import client_ip
from ita.surveys.codes import ALPHABET, CODE_LENGTH, code_digest, looks_like_code, normalize
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
    "code_checks": (
        429,
        _("กรอกรหัสผิดหลายครั้งเกินไป"),
        _(
            "มีการกรอกรหัสที่ไม่ถูกต้องหรือใช้แล้วจากเครือข่ายนี้หลายครั้งในช่วงสั้น ๆ ระบบจึงหยุดตรวจรหัสจากเครือข่ายนี้ชั่วคราว "
            "โปรดรอประมาณ 10 นาทีแล้วลองใหม่ หรือเปลี่ยนไปใช้เครือข่ายอื่น เช่น อินเทอร์เน็ตมือถือ "
            "ตรวจรหัสบนบัตรให้ถูกต้องก่อนกรอก หากยังไม่ได้ ให้ติดต่อผู้ประสานงานของหน่วยงาน"
        ),
    ),
}


def respondent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """What every respondent page shares: no CSRF cookie (the signed one-time form token does
    that job), never cached, the language from ``?lang=`` (th or en) when given, so the switch
    needs no session or cookie either, and the code and token hidden from error reports."""

    @csrf_exempt
    @never_cache
    @sensitive_post_parameters("code", "token")
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
_phases: dict[tuple[int, str], tuple[float, dt.datetime | None, dt.datetime | None, bool]] = {}


process_caches.register(_phases.clear)


def phase_open(assessment_id: int, tool: str) -> bool:
    """Whether the collection window is open now and the assessment not yet published (a
    published result must not move, whatever the calendar says). The window's bounds and the
    state are kept per process for half a minute (an edit takes that long to reach every
    worker); the bounds themselves are compared with the clock on every request."""
    key = (assessment_id, tool.lower())
    cached = _phases.get(key)
    if cached is None or time.monotonic() - cached[0] > PHASE_CACHE_SECONDS:
        found = (
            AssessmentPhase.objects.filter(assessment_id=assessment_id, kind=key[1])
            .values_list("starts_at", "ends_at", "assessment__state")
            .first()
        )
        starts, ends, state = found or (None, None, "")
        cached = (time.monotonic(), starts, ends, state == AssessmentState.PUBLISHED)
        _phases[key] = cached
    _, starts, ends, published = cached
    return not published and starts is not None and ends is not None and starts <= timezone.now() < ends


def closed(request: HttpRequest, assessment_id: int, tool: str) -> HttpResponse:
    """The "closed" refusal, saying why and until when: results already published, the window
    not yet open (and when it opens), or closed (and since when). Nothing is stored."""
    phase_open(assessment_id, tool)  # fills the cache with this window
    _checked, starts, ends, published = _phases[(assessment_id, tool.lower())]
    status, title, body = REFUSALS["closed"]
    if published:
        body = _("ผลการประเมินประกาศแล้ว จึงไม่รับคำตอบเพิ่มอีก คำตอบของคุณไม่ได้ถูกบันทึก")
    elif starts is not None and ends is not None and timezone.now() < starts:
        body = _("แบบวัด %(tool)s เปิดรับคำตอบวันที่ %(starts)s ถึง %(ends)s โปรดกลับมาตอบในช่วงเวลานั้น คำตอบของคุณไม่ได้ถูกบันทึก") % {
            "tool": tool,
            "starts": display_moment(starts),
            "ends": display_moment(ends),
        }
    elif ends is not None:
        body = _("แบบวัด %(tool)s ปิดรับคำตอบแล้วเมื่อ %(ends)s คำตอบของคุณไม่ได้ถูกบันทึก") % {
            "tool": tool,
            "ends": display_moment(ends),
        }
    context = {"title": title, "body": body, "reason": "closed"}
    return _page(request, "surveys/message.html", context, status=status)


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


@process_cache(maxsize=8)
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


EXCLUDED = ", ".join(sorted(set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(ALPHABET)))


def code_format_error() -> str:
    return _(
        "รหัสต้องมี %(n)d ตัว ประกอบด้วยตัวอักษรภาษาอังกฤษ A–Z และตัวเลข 2–9 เท่านั้น (ไม่มี %(excluded)s) "
        "เช่น ABCDE-FGH23 จะพิมพ์เล็กหรือใหญ่ หรือมีขีดหรือเว้นวรรคก็ได้"
    ) % {"n": CODE_LENGTH, "excluded": EXCLUDED}


@respondent_page
def code_entry(request: HttpRequest) -> HttpResponse:
    """The one address for codes. A code arrives only in a post body: typed here, or read by
    the page's script from the slip's QR link ``/s/#CODE`` (a fragment never reaches the
    server). A post of a code alone checks it and answers with the form itself; the form
    posts back here with the code in a hidden field and its one-time token. The code never
    goes into a URL, so no access log, proxy or browser history keeps it."""
    if request.method != "POST":
        return _entry_page(request)
    try:
        raw, has_token = request.POST.get("code", ""), "token" in request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return refusal(request, "too_big")
    if not looks_like_code(raw):
        if has_token:  # the hidden field of a form was altered
            return refusal(request, "malformed")
        return _entry_page(request, error=code_format_error(), status=400)
    code = normalize(raw)
    if has_token:
        return _take_code(request, code)
    return _open_code(request, code)


def _entry_page(request: HttpRequest, *, error: str = "", status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "error": error,
        "action": _action(request, reverse("surveys:entry")),
        "alphabet": ALPHABET,
        "length": CODE_LENGTH,
        **extra,
    }
    return _page(request, "surveys/code_entry.html", context, status=status)


def _open_code(request: HttpRequest, code: str) -> HttpResponse:
    """Check a code and show its form. Wrong and spent codes are counted per address: past the
    limit, no code from there is checked for the rest of the window (guessing costs a wait)."""
    address = client_address(request)
    limit = settings.ITA_CODE_CHECK_RATE_LIMIT
    if not within_rate_limit("code", address, limit, count=False):
        refused = refusal(request, "code_checks")
        refused["Retry-After"] = str(RATE_WINDOW - int(time.time()) % RATE_WINDOW)
        return refused
    digest = code_digest(code)
    row = _lookup(SurveyCode, "digest", digest, ("tool", "used"))
    if row is None:
        within_rate_limit("code", address, limit)
        return refusal(request, "unknown_code")
    target = _target(row, row["tool"], code_digest=digest)
    if not phase_open(target.assessment_id, target.tool):
        return closed(request, target.assessment_id, target.tool)
    if row["used"]:
        within_rate_limit("code", address, limit)
        return refusal(request, "code_used")
    return _form(request, target, make_form_token(target), code=code)


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
        return closed(request, target.assessment_id, "EIT")
    if row["requires_code"]:
        return _entry_page(request, unit_name=target.unit_name, eit=True)
    if request.COOKIES.get(device_cookie(token)):
        return refusal(request, "device_done")
    if request.method == "POST":
        if not within_rate_limit("eit", client_address(request), settings.ITA_SURVEY_RATE_LIMIT):
            return refusal(request, "rate_limited")
        return _take(request, target)
    return _form(request, target, make_form_token(target))


def client_address(request: HttpRequest) -> str:
    """The address a request is counted under: X-Forwarded-For only from our own proxies."""
    return client_ip(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.ITA_TRUSTED_PROXIES
    )


RATE_WINDOW = 600  # seconds


def counters() -> BaseCache:
    """Where the rate limits count: the default cache, a database table unless ITA_CACHE_DIR
    says otherwise, so that every worker on every machine sees the same counts."""
    return caches["default"]


def within_rate_limit(counter: str, address: str, limit: int, *, count: bool = True) -> bool:
    """Whether one more request from ``address`` fits in ``limit`` per 10-minute window of
    ``counter``; when ``count``, it is also counted.

    The n-th request of a window claims slot n with the cache's atomic ``add`` (an INSERT on
    the key), so two workers can never both take the last slot, as a read-then-write counter
    would let them. The keys are an HMAC of counter, address and window under SECRET_KEY: the
    address itself is never stored. Every slot of a window expires at the window's end plus a
    minute, so the rows do not record when each request came either."""
    now = int(time.time())
    window = now // RATE_WINDOW
    mac = hmac.new(settings.SECRET_KEY.encode(), f"ita-rate:{counter}:{address}:{window}".encode(), hashlib.sha256)
    keys = [f"ita:rl:{mac.hexdigest()[:32]}:{slot}" for slot in range(max(limit, 0))]
    timeout = (window + 1) * RATE_WINDOW + 60 - now
    backend = counters()
    taken = backend.get_many(keys)
    for key in keys:
        if key in taken:
            continue
        if not count:
            return True
        if backend.add(key, 1, timeout=timeout):
            return True
    return False


_TOKEN, _ACTION, _PATH, _CODE = "__ita_token__", "__ita_action__", "__ita_path__", "__ita_code__"


def _action(request: HttpRequest, path: str) -> str:
    return path + (f"?lang={request.GET['lang']}" if request.GET.get("lang") in ("th", "en") else "")


def _form(
    request: HttpRequest,
    target: Target,
    token: str,
    *,
    chosen: dict[str, int] | None = None,
    missing: list[str] | None = None,
    category: str = "",
    category_missing: bool = False,
    code: str = "",
) -> HttpResponse:
    """The form; a code form (``code``: IIT, or EIT in code mode) posts to the code address
    with the code in a hidden field, and switches language by post too, never by a link."""
    lang = translation.get_language() or "th"
    path = reverse("surveys:entry") if code else request.path
    if chosen or missing or category_missing:  # sent back with its problems: rendered afresh
        html = _form_html(target, lang, chosen or {}, missing or [], category, category_missing, bool(code))
    else:  # the blank form is the same for everyone at this unit: rendered once per process
        html = _blank_form_html(
            target.ua_id,
            target.assessment_id,
            target.framework_id,
            target.tool,
            target.unit_name,
            target.assessment_name,
            lang,
            bool(code),
        )
    page = (
        html.replace(_TOKEN, token)
        .replace(_ACTION, escape(_action(request, path)))
        .replace(_PATH, escape(path))
        .replace(_CODE, escape(code))
    )
    return HttpResponse(page)


@process_cache(maxsize=256)
def _blank_form_html(
    ua_id: int, assessment_id: int, framework_id: int, tool: str, unit: str, assessment: str, lang: str, with_code: bool
) -> str:
    target = Target(
        ua_id=ua_id,
        assessment_id=assessment_id,
        framework_id=framework_id,
        tool=tool,
        unit_name=unit,
        assessment_name=assessment,
    )
    return _form_html(target, lang, {}, [], "", False, with_code)


def _form_html(
    target: Target,
    lang: str,
    chosen: dict[str, int],
    missing: list[str],
    category: str,
    category_missing: bool,
    with_code: bool = False,
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
        "code": _CODE if with_code else "",
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


def _take_code(request: HttpRequest, code: str) -> HttpResponse:
    """A code form's post: its target comes from its signed token, not from a lookup, and the
    token must have been issued for this code (so it checks no code and counts none)."""
    try:
        target, _token = target_from_token(request.POST.get("token", ""), code_digest(code))
    except Refused as refused:
        return refusal(request, refused.reason)
    if not phase_open(target.assessment_id, target.tool):
        return closed(request, target.assessment_id, target.tool)
    return _take(request, target, code)


def _take(request: HttpRequest, target: Target, code: str = "") -> HttpResponse:
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
            code=code,
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
