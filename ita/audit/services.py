from __future__ import annotations

from typing import Any

from ita.audit.models import AuditEntry


def record(action: str, *, actor: Any = None, unit: Any = None, target: str = "", **data: Any) -> AuditEntry:
    """Write one audit entry. Call it from a service, inside that service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(actor=user, unit=unit, action=action, target=target, data=data)
