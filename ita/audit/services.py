from __future__ import annotations

from typing import Any

from ita.accounts.models import Actor, signed_in
from ita.audit.models import AuditEntry
from ita.audit.targets import target_of


def record(action: str, *, actor: Actor = None, unit: Any = None, target: Any = "", **data: Any) -> AuditEntry:
    """Write one audit entry. Call it from a service, inside that service's transaction.
    ``target`` is the row the action is about (written by ``target_of``) or a text."""
    return AuditEntry.objects.create(
        actor=signed_in(actor), unit=unit, action=action, target=target_of(target), data=data
    )
