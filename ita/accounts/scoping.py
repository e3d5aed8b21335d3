"""The one place that decides what a user may see or change.

A role held on a unit applies to that unit and everything below it. Views call
`get_for_user()`; querysets go through `scope_queryset()`; nothing filters by hand."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from ita.accounts.models import Membership, Role
from ita.units.models import Unit

M = TypeVar("M", bound=Model)

# Strongest first: a user who is both coordinator and viewer of a unit acts as coordinator.
ROLE_ORDER = (Role.PROGRAM_ADMIN, Role.COORDINATOR, Role.ASSESSOR, Role.VIEWER)

# How to reach the unit that owns a row of each scoped model.
UNIT_LOOKUP: dict[str, str] = {
    "units.unit": "",
    "assessments.assessment": "run_by",
    "assessments.unitassessment": "unit",
    "assessments.assessmentphase": "assessment__run_by",
    "surveys.surveyresponse": "unit_assessment__unit",
    "disclosure.evidenceitem": "unit_assessment__unit",
    "disclosure.linkcheck": "link__item__unit_assessment__unit",
    "disclosure.reviewdecision": "item__unit_assessment__unit",
    "disclosure.assessorassignment": "unit_assessment__unit",
    "results.publication": "assessment__run_by",
    "results.historicalresult": "unit",
    "results.unitscore": "unit",
    "accounts.membership": "unit",
    "audit.auditentry": "unit",
}


def memberships(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[tuple[str, str]] | None = getattr(user, "_ita_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("role", "unit__path"))
        user._ita_memberships = cached
    return cached


def role_on(user: Any, unit: Unit) -> str | None:
    """The strongest role the user holds on this unit (directly or from a unit above it)."""
    if getattr(user, "is_superuser", False):
        return Role.PROGRAM_ADMIN
    held = {role for role, path in memberships(user) if unit.path.startswith(path)}
    return next((r for r in ROLE_ORDER if r in held), None)


def has_role(user: Any, unit: Unit, *roles: str) -> bool:
    return role_on(user, unit) in roles


def unit_lookup(model: type[Model]) -> str:
    return UNIT_LOOKUP[model._meta.label_lower]


def scope_queryset(user: Any, qs: QuerySet[M], *roles: str) -> QuerySet[M]:
    """Rows whose unit lies within a unit where the user holds one of ``roles`` (any role
    when none are given)."""
    if getattr(user, "is_superuser", False):
        return qs
    lookup = unit_lookup(qs.model)
    field = f"{lookup}__path__startswith" if lookup else "path__startswith"
    paths = {path for role, path in memberships(user) if not roles or role in roles}
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{field: path})
    return qs.filter(condition)


def unit_of(obj: Model) -> Unit:
    target: Any = obj
    lookup = unit_lookup(type(obj))
    for part in lookup.split("__") if lookup else []:
        target = getattr(target, part)
    assert isinstance(target, Unit)
    return target


def get_for_user(request: HttpRequest, model: type[M], *roles: str, **lookup: Any) -> tuple[M, str]:
    """Fetch one row the user may see, with their role on it; 404 otherwise (an outsider
    learns nothing, not even that the row exists)."""
    try:
        obj = model._default_manager.get(**lookup)
    except (model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404 from None
    role = role_on(request.user, unit_of(obj))
    if role is None or (roles and role not in roles):
        raise Http404
    return obj, role
