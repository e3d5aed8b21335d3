"""Two-factor sign-in (django-otp): a TOTP app, and ten single-use recovery codes for a lost
phone. Setting up and resetting leave audit entries."""

from __future__ import annotations

from typing import Any

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ita.audit.services import record
from ita.ops.services import end_sessions

RECOVERY_CODES = 10


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (a new secret each time none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True))


@transaction.atomic
def do_confirm_second_factor(user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if the code is right; returns the new recovery codes (shown once), or
    None for a wrong code."""
    if not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for code in codes:
        static.token_set.create(token=code)
    record("account.2fa_enabled", actor=user, target=f"user:{user.pk}")
    return codes


@transaction.atomic
def do_reset_second_factor(user: Any, *, actor: Any) -> None:
    """Forget the user's devices and recovery codes (a lost phone): they set up a new one at
    their next sign-in, which their role may require; their open sessions end now."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = end_sessions([user])
    record("account.2fa_reset", actor=actor, target=f"user:{user.pk}", username=user.username, sessions=ended)
