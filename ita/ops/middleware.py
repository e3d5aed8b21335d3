from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ita.accounts.policy import needs_second_factor
from ita.ops.twofactor import has_second_factor

# What a signed-in but unverified user may still open: the code pages, signing out, languages,
# static files and respondents' pages (which never use the session; survey management, /s/m/,
# is not among them).
OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/", "/healthz", "/s/")
CLOSED_PREFIXES = ("/s/m/",)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by django-otp's middleware
            and (not request.path.startswith(OPEN_PREFIXES) or request.path.startswith(CLOSED_PREFIXES))
            and (has_second_factor(user) or needs_second_factor(user))
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
