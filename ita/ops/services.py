"""Account changes that must leave an audit entry (the accounts app sits below audit in the
flow, so they live here)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from ita.accounts.models import User
from ita.audit.services import record


def end_sessions(users: Iterable[User]) -> int:
    """Delete every live session signed in as one of these users; returns how many."""
    ids = {str(user.pk) for user in users}
    doomed = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get(SESSION_KEY, "")) in ids
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def do_disable_users(users: Iterable[User], *, actor: Any) -> int:
    """Disable the accounts at once: no new login, and every open session ends now."""
    users = [u for u in users if u.pk != getattr(actor, "pk", None)]  # never lock yourself out
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = end_sessions([user])
        record("account.disabled", actor=actor, target=f"user:{user.pk}", username=user.username, sessions=ended)
    return len(users)
