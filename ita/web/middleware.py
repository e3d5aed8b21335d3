"""Request guards that run before any view reads the request: the post-size cap (form fields
and file parts alike) and paths or query strings no page can use (NUL bytes, which PostgreSQL refuses
in text and would turn into a 500). Also the two hooks django-axes calls for login throttling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import gettext as _

from ita.lib.net import client_ip

PAGE = (
    '<!doctype html><html lang="th"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{title} · ITA Online</title></head>"
    '<body style="font-family: Sarabun, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">'
    "<h1>{title}</h1><p>{text}</p></body></html>"
)


def _page(title: str, text: str, status: int) -> HttpResponse:
    return HttpResponse(PAGE.format(title=escape(title), text=escape(text)), status=status)


def too_big() -> HttpResponse:
    return _page(
        _("ข้อมูลที่ส่งมีขนาดใหญ่เกินไป"),
        _("ระบบรับข้อมูลได้ไม่เกิน %(kb)s KB ต่อครั้ง กรุณาย้อนกลับ ลดขนาดข้อมูลหรือแบ่งส่งเป็นหลายครั้ง แล้วลองใหม่")
        % {"kb": settings.ITA_MAX_POST_BYTES // 1024},
        413,
    )


def bad_query() -> HttpResponse:
    return _page(
        _("ที่อยู่หน้าเว็บไม่ถูกต้อง"),
        _("ที่อยู่มีอักขระที่ระบบไม่รับ กรุณากลับไปหน้าก่อนแล้วเลือกลิงก์ใหม่ หรือพิมพ์ที่อยู่ใหม่ แล้วลองใหม่"),
        400,
    )


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


class RequestLimitsMiddleware:
    """Refuses a body declared larger than ``ITA_MAX_POST_BYTES`` (413) before anything reads
    it: Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count multipart file parts, so without
    this a 100 MB upload to any form is accepted and spooled to disk. Bodies without a
    Content-Length are capped by ``CappedUploadHandler``. Also refuses NUL bytes in the path or
    the query string (400) so that no filter ever sends one to the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = _declared_length(request)
        if declared is not None and declared > settings.ITA_MAX_POST_BYTES:
            return too_big()  # (WSGI forbids setting Connection: the server closes as it sees fit)
        if "\x00" in request.path or _has_nul(request):
            return bad_query()
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class CappedUploadHandler(FileUploadHandler):
    """Counts every byte of every file part and stops the upload past ``ITA_MAX_POST_BYTES``,
    whatever the request declared (a missing or understated Content-Length). Listed first in
    FILE_UPLOAD_HANDLERS so no other handler receives the bytes beyond the cap."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        if content_length > settings.ITA_MAX_POST_BYTES:
            raise RequestDataTooBig(_("ข้อมูลที่ส่งมีขนาดใหญ่เกินไป"))

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.ITA_MAX_POST_BYTES:
            raise RequestDataTooBig(_("ข้อมูลที่ส่งมีขนาดใหญ่เกินไป"))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def axes_client_ip(request: HttpRequest) -> str:
    """The address django-axes counts failed logins under (AXES_CLIENT_IP_CALLABLE): the same
    rule as every other limit, so X-Forwarded-For counts only when our own proxy wrote it."""
    return client_ip(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.ITA_TRUSTED_PROXIES
    )


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page django-axes answers a locked-out login with (AXES_LOCKOUT_CALLABLE): in Thai,
    saying how long to wait and whom to ask."""
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": settings.ITA_LOGIN_COOLOFF_MINUTES}
    return render(request, "registration/locked_out.html", context, status=429)


class ChosenLanguageMiddleware:
    """The language of every page: the one the user chose (the ``set_language`` cookie), else
    the site's (Thai). Unlike Django's LocaleMiddleware it never follows the browser's
    Accept-Language: an English-language phone still gets the Thai pages a Thai office expects,
    with English one click away and remembered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        patch_vary_headers(response, ("Cookie",))
        return response
