"""The second-factor pages: enter a code after the password, or set up an authenticator app."""

from __future__ import annotations

from base64 import b32encode

import django_otp
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ita.ops.twofactor import do_confirm_second_factor, has_second_factor, pending_device, qr_svg


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    hosts = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure())
    return target if safe else "/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, or one of the recovery codes (each works once)."""
    if not has_second_factor(request.user):
        return redirect(f"/accounts/2fa/setup/?next={_next(request)}")
    error = ""
    if request.method == "POST":
        device = django_otp.match_token(request.user, request.POST.get("token", "").strip())
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        error = _("รหัสไม่ถูกต้องหรือหมดอายุแล้ว ให้พิมพ์รหัส 6 หลักที่แสดงอยู่ในแอปตอนนี้ หรือรหัสกู้คืนที่ยังไม่เคยใช้")
    return render(request, "ops/verify.html", {"error": error, "next": _next(request)})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, type the app's code; the recovery codes are shown once, here."""
    if has_second_factor(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(f"/accounts/2fa/?next={_next(request)}")  # replacing a factor needs the old one
    device = pending_device(request.user)
    error = ""
    if request.method == "POST":
        codes = do_confirm_second_factor(request.user, device, request.POST.get("token", ""))
        if codes is not None:
            django_otp.login(request, device)
            return render(request, "ops/recovery_codes.html", {"codes": codes, "next": _next(request)})
        error = _("รหัสไม่ตรงกับแอป ตรวจว่าเวลาในโทรศัพท์ถูกต้อง แล้วพิมพ์รหัส 6 หลักที่แสดงอยู่ตอนนี้")
    return render(
        request,
        "ops/setup.html",
        {"qr": qr_svg(device), "secret": b32encode(device.bin_key).decode(), "error": error, "next": _next(request)},
    )
