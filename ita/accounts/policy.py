"""The one module that decides who may see or change what. Nothing else decides access:
views, API operations, downloads and admin pages ask the functions here.

The rules:

- A program admin, coordinator or viewer role held on a unit applies to that unit and every
  unit below it (`Unit.path` prefix match).
- An assessor membership only makes a user *eligible* to be assigned. The assessor's role
  reaches a unit's assessment only through an `AssessorAssignment`.
- OIT decisions that are not yet released are seen only by program admins of a unit at or above
  the unit, and by the assessors assigned to it (`may_review`, `sees_unreleased`: one rule).
- Writes in the admin are scoped like reads: a row may be added or changed only on units at or
  under one's own program-admin units; memberships likewise (`may_grant`).
- Audit entries are seen only by program admins of their unit and superusers.
- Published results are public; everything else answers 404 to an outsider, the same answer as
  for a row that does not exist.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import Assessment, UnitAssessment
from ita.audit.models import AuditEntry
from ita.disclosure.models import AssessorAssignment
from ita.units.models import Unit

M = TypeVar("M", bound=Model)

# Strongest first: a user who is both coordinator and viewer of a unit acts as coordinator.
ROLE_ORDER = (Role.PROGRAM_ADMIN, Role.COORDINATOR, Role.ASSESSOR, Role.VIEWER)
# Roles that reach down the tree from the unit they are held on.
TREE_ROLES = (Role.PROGRAM_ADMIN, Role.COORDINATOR, Role.VIEWER)

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
    "improvement.plan": "unit_assessment__unit",
    "improvement.measure": "plan__unit_assessment__unit",
}

# How an assessor reaches a row: through an assignment to the row's unit assessment. Models not
# listed here are never reached through an assignment.
ASSIGNMENT_LOOKUP: dict[str, str] = {
    "assessments.assessment": "unit_assessments__assessor_assignments__assessor",
    "assessments.unitassessment": "assessor_assignments__assessor",
    "disclosure.evidenceitem": "unit_assessment__assessor_assignments__assessor",
    "disclosure.linkcheck": "link__item__unit_assessment__assessor_assignments__assessor",
    "disclosure.reviewdecision": "item__unit_assessment__assessor_assignments__assessor",
    "disclosure.assessorassignment": "assessor",
    "results.unitscore": "unit_assessment__assessor_assignments__assessor",
}

# How to reach the unit assessment a row belongs to (for the assessor's role on it).
UA_LOOKUP: dict[str, str] = {
    "assessments.unitassessment": "",
    "disclosure.evidenceitem": "unit_assessment",
    "disclosure.linkcheck": "link__item__unit_assessment",
    "disclosure.reviewdecision": "item__unit_assessment",
    "disclosure.assessorassignment": "unit_assessment",
    "results.unitscore": "unit_assessment",
    "surveys.surveyresponse": "unit_assessment",
}


# --- roles ---------------------------------------------------------------------------------


def memberships(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[tuple[str, str]] | None = getattr(user, "_ita_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("role", "unit__path"))
        user._ita_memberships = cached
    return cached


def _held(user: Any, unit: Unit) -> set[str]:
    """Roles held on memberships at or above this unit (assessor memberships included)."""
    return {role for role, path in memberships(user) if unit.path.startswith(path)}


def _strongest(roles: set[str]) -> str | None:
    return next((r for r in ROLE_ORDER if r in roles), None)


def role_on(user: Any, unit: Unit) -> str | None:
    """The strongest tree role (program admin, coordinator, viewer) the user holds on this
    unit, directly or from a unit above it. Never ASSESSOR: see `role_on_ua`."""
    if getattr(user, "is_superuser", False):
        return Role.PROGRAM_ADMIN
    return _strongest(_held(user, unit) & set(TREE_ROLES))


def is_assigned(user: Any, ua: UnitAssessment) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return AssessorAssignment.objects.filter(unit_assessment=ua, assessor_id=user.pk).exists()


def role_on_ua(user: Any, ua: UnitAssessment) -> str | None:
    """The user's role on one unit's assessment: the tree role on its unit, or ASSESSOR when
    assigned to it (whichever is stronger)."""
    role = role_on(user, ua.unit)
    if role == Role.PROGRAM_ADMIN or not is_assigned(user, ua):
        return role
    return _strongest({Role.ASSESSOR, *([role] if role else [])})


def may_be_assigned(user: Any, unit: Unit) -> bool:
    """Eligible to be assigned as assessor of the unit: an assessor membership at or above it,
    or program admin of it."""
    return bool(getattr(user, "is_superuser", False) or _held(user, unit) & {Role.ASSESSOR, Role.PROGRAM_ADMIN})


def assignable_assessors(assessment: Assessment) -> QuerySet[User]:
    """Users holding an assessor role at, above or below the unit that runs the assessment."""
    run_by = assessment.run_by
    units = Q(memberships__unit_id__in=run_by.ancestor_ids()) | Q(memberships__unit__path__startswith=run_by.path)
    return User.objects.filter(units, memberships__role=Role.ASSESSOR).distinct().order_by("username")


def may_review(user: Any, ua: UnitAssessment) -> bool:
    """Reviewing a unit's OIT evidence, and seeing decisions not yet released: program admins of
    a unit at or above it, and the assessors assigned to it. Nobody else."""
    return role_on(user, ua.unit) == Role.PROGRAM_ADMIN or is_assigned(user, ua)


def sees_unreleased(user: Any, ua: UnitAssessment) -> bool:
    """Whether scores shown to this user may count OIT decisions not yet released. The same
    rule as `may_review`: whoever may not review sees only what was released to the unit."""
    return may_review(user, ua)


# --- rows ----------------------------------------------------------------------------------


def unit_lookup(model: type[Model]) -> str:
    return UNIT_LOOKUP[model._meta.label_lower]


def scope_queryset(user: Any, qs: QuerySet[M], *roles: str) -> QuerySet[M]:
    """Rows the user reaches with one of ``roles`` (any role when none are given): rows of
    units within a unit where they hold a tree role, and, for ASSESSOR, rows of the unit
    assessments they are assigned to."""
    if getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    wanted = set(roles or ROLE_ORDER)
    label = qs.model._meta.label_lower
    lookup = UNIT_LOOKUP[label]
    field = f"{lookup}__path__startswith" if lookup else "path__startswith"
    condition = Q(pk__in=[])
    for path in {path for role, path in memberships(user) if role in wanted and role in TREE_ROLES}:
        condition |= Q(**{field: path})
    if Role.ASSESSOR in wanted and label in ASSIGNMENT_LOOKUP:
        assigned = qs.model._default_manager.filter(**{ASSIGNMENT_LOOKUP[label]: user.pk}).values("pk")
        condition |= Q(pk__in=assigned)
    return qs.filter(condition)


def _follow(obj: Model, lookup: str) -> Any:
    target: Any = obj
    for part in lookup.split("__") if lookup else []:
        target = getattr(target, part)
    return target


def unit_of(obj: Model) -> Unit:
    target = _follow(obj, unit_lookup(type(obj)))
    assert isinstance(target, Unit)
    return target


def role_of(user: Any, obj: Model) -> str | None:
    """The user's role on one row: through its unit assessment where it has one."""
    label = obj._meta.label_lower
    if label in UA_LOOKUP:
        return role_on_ua(user, _follow(obj, UA_LOOKUP[label]))
    if isinstance(obj, Assessment) and role_on(user, obj.run_by) is None:
        assigned = AssessorAssignment.objects.filter(unit_assessment__assessment=obj, assessor_id=user.pk)
        return Role.ASSESSOR if getattr(user, "is_authenticated", False) and assigned.exists() else None
    return role_on(user, unit_of(obj))


def get_for_user(request: HttpRequest, model: type[M], *roles: str, **lookup: Any) -> tuple[M, str]:
    """Fetch one row the user may see, with their role on it; 404 otherwise (an outsider
    learns nothing, not even that the row exists)."""
    try:
        obj = model._default_manager.get(**lookup)
    except (model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404 from None
    role = role_of(request.user, obj)
    if role is None or (roles and role not in roles):
        raise Http404
    return obj, role


def get_for_reviewer(request: HttpRequest, **lookup: Any) -> UnitAssessment:
    """The unit assessment for a review action, for anyone eligible to review it; the review
    service itself refuses those not assigned, with a message that says so."""
    try:
        ua = UnitAssessment.objects.select_related("unit").get(**lookup)
    except (UnitAssessment.DoesNotExist, ValueError):
        raise Http404 from None
    if not may_be_assigned(request.user, ua.unit):
        raise Http404
    return ua


# --- assessments ---------------------------------------------------------------------------


def visible_unit_assessments(user: Any, assessment: Assessment, *roles: str) -> QuerySet[UnitAssessment]:
    """The target units of an assessment that the user reaches with one of ``roles``."""
    return scope_queryset(user, assessment.unit_assessments.select_related("unit"), *roles)


def visible_assessments(user: Any, *roles: str) -> QuerySet[Assessment]:
    """Assessments the user takes part in: run by a unit they reach, or over a unit they reach."""
    mine = scope_queryset(user, UnitAssessment.objects.all(), *roles).values("assessment_id")
    run = scope_queryset(user, Assessment.objects.all(), *roles).values("id")
    return Assessment.objects.filter(Q(id__in=mine) | Q(id__in=run))


def may_see_assessment(user: Any, assessment: Assessment, *roles: str) -> bool:
    """May open the assessment's pages (hub, provisional results, survey overview)."""
    return visible_assessments(user, *roles).filter(pk=assessment.pk).exists()


def may_manage_assessment(user: Any, assessment: Assessment) -> bool:
    """Publish, reopen, assign assessors, see manipulation signals: program admins of the unit
    that runs the assessment."""
    return role_on(user, assessment.run_by) == Role.PROGRAM_ADMIN


def may_set_up_assessments(user: Any) -> bool:
    """May open the guided setup of a new assessment: a program admin of some unit (the
    assessment is then run by one of those units, `grantable_units`)."""
    return bool(getattr(user, "is_superuser", False) or program_admin_paths(user))


def may_run_surveys(user: Any, ua: UnitAssessment) -> bool:
    """May open a unit's survey management (headcounts, IIT codes, the EIT link): its
    coordinators and the program admins above it, the roles the survey pages ask for."""
    return role_on(user, ua.unit) in (Role.PROGRAM_ADMIN, Role.COORDINATOR)


def may_use_admin(user: Any) -> bool:
    """Whether the admin ("จัดการระบบ") is offered in the menu: staff who manage units and
    accounts there, that is program admins and superusers. Other roles have their own pages."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_staff", False) and program_admin_paths(user))


def may_see_unit(user: Any, unit: Unit) -> bool:
    """Provisional (unpublished) aggregates over a unit: a tree role on it."""
    return role_on(user, unit) is not None


# --- the admin -----------------------------------------------------------------------------


def program_admin_paths(user: Any) -> set[str]:
    return {path for role, path in memberships(user) if role == Role.PROGRAM_ADMIN}


def grantable_units(user: Any) -> QuerySet[Unit]:
    """Units on which the user may add or change rows (and grant roles): at or under their own
    program-admin units."""
    return scope_queryset(user, Unit.objects.all(), Role.PROGRAM_ADMIN)


def may_grant(user: Any, unit: Unit | None, role: str) -> bool:
    """May give someone ``role`` on ``unit``: a program admin of that unit or of one above it.
    Never on a unit above one's own (that would be an escalation)."""
    if getattr(user, "is_superuser", False):
        return True
    return unit is not None and role in Role.values and role_on(user, unit) == Role.PROGRAM_ADMIN


def may_write(user: Any, obj: Model) -> bool:
    """May save this row (new or changed) in the admin: the unit it will belong to lies at or
    under one of the user's program-admin units. A new unit belongs to its parent."""
    if getattr(user, "is_superuser", False):
        return True
    if isinstance(obj, Membership):
        return may_grant(user, obj.unit, obj.role)
    unit = obj.parent if isinstance(obj, Unit) else unit_of(obj)
    return unit is not None and role_on(user, unit) == Role.PROGRAM_ADMIN


def manageable_users(user: Any) -> QuerySet[User]:
    """Accounts a user may change in the admin: not superusers, and every role they hold lies
    at or under the editor's program-admin units (so no account above can be taken over)."""
    if getattr(user, "is_superuser", False):
        return User.objects.all()
    paths = program_admin_paths(user)
    if not paths:
        return User.objects.none()
    inside = Q(pk__in=[])
    for path in paths:
        inside |= Q(unit__path__startswith=path)
    outside = Membership.objects.exclude(inside).values("user_id")
    return User.objects.filter(is_superuser=False).exclude(pk__in=outside)


def visible_audit_entries(user: Any) -> QuerySet[AuditEntry]:
    """Audit entries carry decisions and reasons before their release, so only program admins
    of the entry's unit (and superusers) read them; entries without a unit only superusers."""
    return scope_queryset(user, AuditEntry.objects.all(), Role.PROGRAM_ADMIN)


# --- improvement measures ------------------------------------------------------------------


def may_write_measures(user: Any, ua: UnitAssessment) -> bool:
    """Write a unit's measures, actions and follow-ups: its coordinators and program admins
    (at or above it). Viewers and assessors read only."""
    return role_on(user, ua.unit) in (Role.PROGRAM_ADMIN, Role.COORDINATOR)


def may_read_measures(user: Any, ua: UnitAssessment, *, public: bool) -> bool:
    """A unit's measures and follow-up: anyone once the unit made them public, before that a
    tree role on the unit (assessors are not shown drafts)."""
    return public or role_on(user, ua.unit) is not None


def may_see_suggestions(user: Any, ua: UnitAssessment) -> bool:
    """The analysis the suggestions come from (weak indicators, failed items with reasons):
    those who may write the measures."""
    return may_write_measures(user, ua)


def may_edit_catalogue(user: Any) -> bool:
    """The catalogue of proposed measures is per framework, so for the program admins of a
    unit at the top of the tree (and superusers)."""
    if getattr(user, "is_superuser", False):
        return True
    roots = set(Unit.objects.filter(parent__isnull=True).values_list("path", flat=True))
    return bool(program_admin_paths(user) & roots)


def needs_second_factor(user: Any) -> bool:
    """Whether this signed-in user must set up and pass a one-time code because of a role named
    in ITA_2FA_REQUIRED_ROLES (superusers count as program admins). Anyone who set one up by
    choice passes it too (ita.ops.middleware)."""
    from django.conf import settings

    if not getattr(user, "is_authenticated", False):
        return False
    required = set(settings.ITA_2FA_REQUIRED_ROLES)
    if user.is_superuser and Role.PROGRAM_ADMIN in required:
        return True
    return bool(required & {role for role, _path in memberships(user)})
