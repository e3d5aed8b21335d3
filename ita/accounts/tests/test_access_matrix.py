# ruff: noqa: E501 - the matrix keeps one row per line, however long, so that adding one is one line
"""The URL × role matrix: every URL pattern the resolver knows (admin included) and every API
operation, requested by every role in one small world, must answer the status written below.

A URL pattern or API operation without a row here fails `test_every_url_pattern_has_a_row` /
`test_every_api_operation_has_a_row`, naming it: a new page cannot ship without deciding who
may open it. Adding a row is one line:

    "route as the resolver spells it": G("/concrete/{open}/{A}/", "anon resp cA cB asA asX view pB pA"),

with one status per role, in the order of `ROLES`: anonymous, respondent, coordinator of A,
coordinator of B, assessor assigned to A, assessor not assigned, viewer of A, program admin
of B (another branch), program admin of OBEC (above A and B). `{name}` placeholders come from
`World.ids` (matrix_world.py). `P(...)` marks a POST-only view: GET must answer 405 (or the
login redirect), and a POST with a valid CSRF token the status given. Rows whose statuses are
written `302` for anonymous visitors are the login redirect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from ita.accounts.tests.matrix_world import KEPT_FROM, ROLES, SECRET_REASON, World, build_world, numbers


@dataclass(frozen=True)
class Row:
    url: str
    statuses: str
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)

    def expected(self) -> dict[str, int]:
        codes = [int(s) for s in self.statuses.split()]
        assert len(codes) == len(ROLES), f"{self.url}: {len(codes)} statuses for {len(ROLES)} roles"
        return dict(zip(ROLES, codes, strict=True))


def G(url: str, statuses: str) -> Row:
    return Row(url, statuses)


def P(path: str, statuses: str, **data: Any) -> Row:
    return Row(path, statuses, "POST", data)


_ADMIN_ANON = "302 302"  # the admin sends visitors without a session to its login page

# fmt: off
URLS: dict[str, Row] = {
    "": G("/", "200 200 200 200 200 200 200 200 200"),
    "accounts/login/": G("/accounts/login/", "200 200 200 200 200 200 200 200 200"),
    "accounts/logout/": P("/accounts/logout/", "302 302 302 302 302 302 302 302 302"),
    "accounts/2fa/": G("/accounts/2fa/", "302 302 302 302 302 302 302 302 302"),
    "accounts/2fa/setup/": G("/accounts/2fa/setup/", "302 302 200 200 200 200 200 200 200"),
    "i18n/setlang/": G("/i18n/setlang/", "302 302 302 302 302 302 302 302 302"),
    "a/<slug:slug>/": G("/a/{open}/", "404 404 200 200 200 404 200 200 200"),
    "a/<slug:slug>/u/<slug:code>/": G("/a/{open}/u/{A}/", "302 302 200 404 404 404 404 404 200"),
    "healthz": G("/healthz", "200 200 200 200 200 200 200 200 200"),
    "s/": G("/s/", "200 200 200 200 200 200 200 200 200"),
    "s/e/<str:token>/": G("/s/e/{token}/", "200 200 200 200 200 200 200 200 200"),
    "s/thanks/": G("/s/thanks/", "200 200 200 200 200 200 200 200 200"),
    "s/m/<slug:slug>/": G("/s/m/{open}/", "302 302 200 200 404 404 404 200 200"),
    "s/m/<slug:slug>/progress.json": G("/s/m/{open}/progress.json", "302 302 200 200 404 404 404 200 200"),
    "s/m/<slug:slug>/<slug:code>/": G("/s/m/{open}/{A}/", "302 302 200 404 404 404 404 404 200"),
    "s/m/<slug:slug>/<slug:code>/progress.json": G("/s/m/{open}/{A}/progress.json", "302 302 200 404 404 404 404 404 200"),
    "s/m/<slug:slug>/<slug:code>/codes/": P("/s/m/{open}/{A}/codes/", "302 302 200 404 404 404 404 404 200", tool="IIT", count="2"),
    "s/m/<slug:slug>/<slug:code>/codes/slips.pdf": P("/s/m/{open}/{A}/codes/slips.pdf", "302 302 200 404 404 404 404 404 200", tool="IIT", codes="{code}"),
    "s/m/<slug:slug>/<slug:code>/codes/codes.csv": P("/s/m/{open}/{A}/codes/codes.csv", "302 302 200 404 404 404 404 404 200", tool="IIT", codes="{code}"),
    "s/m/<slug:slug>/<slug:code>/codes/<uuid:batch>/void/": P("/s/m/{open}/{A}/codes/{batch}/void/", "302 302 200 404 404 404 404 404 200", reason="slips lost", confirm="on"),
    "s/m/<slug:slug>/<slug:code>/poster.pdf": G("/s/m/{open}/{A}/poster.pdf", "302 302 200 404 404 404 404 404 200"),
    "oit/": G("/oit/", "302 302 200 200 200 200 200 200 200"),
    "oit/queue/": G("/oit/queue/", "302 302 200 200 200 200 200 200 200"),
    "oit/snapshot/<int:check_id>/": G("/oit/snapshot/{check}/", "302 302 200 404 200 404 200 404 200"),
    "oit/<slug:slug>/assign/": G("/oit/{open}/assign/", "302 302 404 404 404 404 404 404 200"),
    "oit/<slug:slug>/<slug:code>/": G("/oit/{open}/{A}/", "302 302 200 404 200 404 200 404 200"),
    "oit/<slug:slug>/<slug:code>/items/<str:item_code>/": P("/oit/{open}/{A}/items/O2/", "302 302 302 404 404 404 404 404 404", present="yes", url="https://esa-a.example.go.th/o2", action="save"),
    "oit/<slug:slug>/<slug:code>/carry-over/": P("/oit/{open}/{A}/carry-over/", "302 302 302 404 404 404 404 404 404"),
    "oit/<slug:slug>/<slug:code>/review/": G("/oit/{open}/{A}/review/", "302 302 404 404 200 404 404 404 200"),
    "oit/<slug:slug>/<slug:code>/review/release/": P("/oit/{open}/{A}/review/release/", "302 302 404 404 302 302 404 404 302"),
    "oit/<slug:slug>/<slug:code>/review/lock/": P("/oit/{open}/{A}/review/lock/", "302 302 404 404 302 302 404 404 302"),
    "oit/<slug:slug>/<slug:code>/review/recheck/": P("/oit/{open}/{A}/review/recheck/", "302 302 404 404 302 302 404 404 302"),
    "oit/<slug:slug>/<slug:code>/review/items/<str:item_code>/": P("/oit/{open}/{A}/review/items/O1/", "302 302 404 404 302 302 404 404 302", decision="pass"),
    "oit/<slug:slug>/<slug:code>/review/items/<str:item_code>/reopen/": P("/oit/{open}/{A}/review/items/O1/reopen/", "302 302 404 404 302 302 404 404 302", reason="ทดสอบ"),
    "results/": G("/results/", "200 200 200 200 200 200 200 200 200"),
    "results/<slug:slug>/": G("/results/{open}/", "404 404 200 200 200 404 200 200 200"),
    "results/<slug:slug>/rollup/<slug:code>/": G("/results/{open}/rollup/{obec}/", "404 404 404 404 404 404 404 404 200"),
    "results/<slug:slug>/u/<slug:code>/": G("/results/{open}/u/{A}/", "404 404 200 404 200 404 200 404 200"),
    "results/<slug:slug>/download/<slug:exporter>": G("/results/{pub}/download/scores-csv", "200 200 200 200 200 200 200 200 200"),
    "results/<slug:slug>/publish": P("/results/{open}/publish", "404 404 404 404 404 404 404 404 302", confirm="on"),
    "results/<slug:slug>/publish/confirm": G("/results/{open}/publish/confirm", "404 404 404 404 404 404 404 404 200"),
    "results/<slug:slug>/reopen": P("/results/{pub}/reopen", "404 404 404 404 404 404 404 404 302", reason="ทดสอบ"),
    "results/<slug:slug>/refresh": P("/results/{open}/refresh", "404 404 404 404 404 404 404 404 302"),
    "setup/new/": G("/setup/new/", "302 302 404 404 404 404 404 200 200"),
    "setup/<slug:slug>/": G("/setup/{open}/", "302 302 404 404 404 404 404 404 200"),
    "setup/<slug:slug>/calendar/": G("/setup/{open}/calendar/", "302 302 404 404 404 404 404 404 200"),
    "setup/<slug:slug>/units/": G("/setup/{open}/units/", "302 302 404 404 404 404 404 404 200"),
    "setup/<slug:slug>/coordinators": P("/setup/{open}/coordinators", "302 302 404 404 404 404 404 404 200", unit="{unit_a}", username="new-coord"),
    "setup/<slug:slug>/open": P("/setup/{open}/open", "302 302 404 404 404 404 404 404 302", confirm="on"),

    "improvement/": G("/improvement/", "302 302 200 200 200 200 200 200 200"),
    "improvement/catalogue/<int:framework_id>/": G("/improvement/catalogue/{framework}/", "302 302 404 404 404 404 404 404 200"),
    "improvement/<slug:slug>/<slug:code>/": G("/improvement/{open}/{A}/", "404 404 200 404 404 404 200 404 200"),
    "improvement/<slug:slug>/<slug:code>/plan/": P("/improvement/{open}/{A}/plan/", "404 404 302 404 404 404 404 404 302", starts_on="2026-01-01", groups="ทุกกลุ่ม/หน่วย"),
    "improvement/<slug:slug>/<slug:code>/public/": P("/improvement/{open}/{A}/public/", "404 404 302 404 404 404 404 404 302", public="1"),
    "improvement/<slug:slug>/<slug:code>/measures/new/": G("/improvement/{open}/{A}/measures/new/", "404 404 200 404 404 404 404 404 200"),
    "improvement/<slug:slug>/<slug:code>/measures/<int:pk>/": G("/improvement/{open}/{A}/measures/{measure}/", "404 404 200 404 404 404 404 404 200"),
    "improvement/<slug:slug>/<slug:code>/measures/<int:pk>/<int:months>/": G("/improvement/{open}/{A}/measures/{measure}/6/", "404 404 200 404 404 404 404 404 200"),
    "improvement/<slug:slug>/<slug:code>/actions/": P("/improvement/{open}/{A}/actions/", "404 404 302 404 404 404 404 404 302", title="ประกาศ No Gift Policy"),
    "improvement/<slug:slug>/<slug:code>/rounds/<int:months>/": P("/improvement/{open}/{A}/rounds/6/", "404 404 302 404 404 404 404 404 302", summary="สรุป"),
    "improvement/<slug:slug>/<slug:code>/carry-over/": P("/improvement/{open}/{A}/carry-over/", "404 404 302 404 404 404 404 404 302"),
    "api/v1/openapi.json": G("/api/v1/openapi.json", "200 200 200 200 200 200 200 200 200"),
    "api/v1/docs": G("/api/v1/docs", "200 200 200 200 200 200 200 200 200"),
    "api/v1/": G("/api/v1/", "404 404 404 404 404 404 404 404 404"),
    "admin/": G("/admin/", "302 302 200 200 200 200 200 200 200"),
    "admin/login/": G("/admin/login/", "200 200 302 302 302 302 302 302 302"),
    "admin/logout/": P("/admin/logout/", "302 302 302 302 302 302 302 302 302"),
    "admin/password_change/": G("/admin/password_change/", "302 302 200 200 200 200 200 200 200"),
    "admin/password_change/done/": G("/admin/password_change/done/", "302 302 200 200 200 200 200 200 200"),
    "admin/autocomplete/": G("/admin/autocomplete/?app_label=accounts&model_name=membership&field_name=unit&term=mx", "302 302 200 200 200 200 200 200 200"),
    "admin/jsi18n/": G("/admin/jsi18n/", "302 302 200 200 200 200 200 200 200"),
    "admin/r/<path:content_type_id>/<path:object_id>/": G("/admin/r/{ct}/{assessment}/", "302 302 404 404 404 404 404 404 404"),
    "admin/accounts/user/<id>/password/": G("/admin/accounts/user/{user}/password/", "302 302 403 403 403 403 403 404 200"),
    "admin/^(?P<app_label>auth|accounts|units|audit|frameworks|assessments|disclosure|results|jobs)/$": G("/admin/accounts/", "302 302 200 200 200 200 200 200 200"),
    "admin/(?P<url>.*)$": G("/admin/no-such-page/", "302 302 404 404 404 404 404 404 404"),
    "admin/auth/group/": G("/admin/auth/group/", "302 302 403 403 403 403 403 403 403"),
    "admin/auth/group/add/": G("/admin/auth/group/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/auth/group/<path:object_id>/history/": G("/admin/auth/group/{ct}/history/", "302 302 302 302 302 302 302 302 302"),
    "admin/auth/group/<path:object_id>/delete/": G("/admin/auth/group/{ct}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/auth/group/<path:object_id>/change/": G("/admin/auth/group/{ct}/change/", "302 302 403 403 403 403 403 403 403"),
    "admin/auth/group/<path:object_id>/": G("/admin/auth/group/{ct}/", "302 302 302 302 302 302 302 302 302"),
    "admin/accounts/user/": G("/admin/accounts/user/", "302 302 403 403 403 403 403 200 200"),
    "admin/accounts/user/add/": G("/admin/accounts/user/add/", "302 302 403 403 403 403 403 200 200"),
    "admin/accounts/user/<path:object_id>/history/": G("/admin/accounts/user/{user}/history/", "302 302 302 302 302 302 302 302 200"),
    "admin/accounts/user/<path:object_id>/delete/": G("/admin/accounts/user/{user}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/accounts/user/<path:object_id>/change/": G("/admin/accounts/user/{user}/change/", "302 302 403 403 403 403 403 302 200"),
    "admin/accounts/user/<path:object_id>/": G("/admin/accounts/user/{user}/", "302 302 302 302 302 302 302 302 302"),
    "admin/accounts/membership/": G("/admin/accounts/membership/", "302 302 200 200 200 200 200 200 200"),
    "admin/accounts/membership/add/": G("/admin/accounts/membership/add/", "302 302 403 403 403 403 403 200 200"),
    "admin/accounts/membership/<path:object_id>/history/": G("/admin/accounts/membership/{membership}/history/", "302 302 302 302 302 302 302 302 200"),
    "admin/accounts/membership/<path:object_id>/delete/": G("/admin/accounts/membership/{membership}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/accounts/membership/<path:object_id>/change/": G("/admin/accounts/membership/{membership}/change/", "302 302 302 302 302 302 302 302 200"),
    "admin/accounts/membership/<path:object_id>/": G("/admin/accounts/membership/{membership}/", "302 302 302 302 302 302 302 302 302"),
    "admin/audit/auditentry/": G("/admin/audit/auditentry/", "302 302 403 403 403 403 403 200 200"),
    "admin/audit/auditentry/add/": G("/admin/audit/auditentry/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/audit/auditentry/<path:object_id>/history/": G("/admin/audit/auditentry/{audit}/history/", "302 302 302 302 302 302 302 302 200"),
    "admin/audit/auditentry/<path:object_id>/delete/": G("/admin/audit/auditentry/{audit}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/audit/auditentry/<path:object_id>/change/": G("/admin/audit/auditentry/{audit}/change/", "302 302 403 403 403 403 403 302 200"),
    "admin/audit/auditentry/<path:object_id>/": G("/admin/audit/auditentry/{audit}/", "302 302 302 302 302 302 302 302 302"),
    "admin/units/unit/": G("/admin/units/unit/", "302 302 200 200 200 200 200 200 200"),
    "admin/units/unit/add/": G("/admin/units/unit/add/", "302 302 403 403 403 403 403 200 200"),
    "admin/units/unit/<path:object_id>/history/": G("/admin/units/unit/{unit_a}/history/", "302 302 200 302 302 302 200 302 200"),
    "admin/units/unit/<path:object_id>/delete/": G("/admin/units/unit/{unit_a}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/units/unit/<path:object_id>/change/": G("/admin/units/unit/{unit_a}/change/", "302 302 200 302 302 302 200 302 200"),
    "admin/units/unit/<path:object_id>/": G("/admin/units/unit/{unit_a}/", "302 302 302 302 302 302 302 302 302"),
    "admin/frameworks/framework/": G("/admin/frameworks/framework/", "302 302 200 200 200 200 200 200 200"),
    "admin/frameworks/framework/add/": G("/admin/frameworks/framework/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/frameworks/framework/<path:object_id>/history/": G("/admin/frameworks/framework/{framework}/history/", "302 302 200 200 200 200 200 200 200"),
    "admin/frameworks/framework/<path:object_id>/delete/": G("/admin/frameworks/framework/{framework}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/frameworks/framework/<path:object_id>/change/": G("/admin/frameworks/framework/{framework}/change/", "302 302 200 200 200 200 200 200 200"),
    "admin/frameworks/framework/<path:object_id>/": G("/admin/frameworks/framework/{framework}/", "302 302 302 302 302 302 302 302 302"),
    "admin/assessments/assessment/": G("/admin/assessments/assessment/", "302 302 200 200 200 200 200 200 200"),
    "admin/assessments/assessment/add/": G("/admin/assessments/assessment/add/", "302 302 403 403 403 403 403 200 200"),
    "admin/assessments/assessment/<path:object_id>/history/": G("/admin/assessments/assessment/{assessment}/history/", "302 302 302 302 200 302 302 302 200"),
    "admin/assessments/assessment/<path:object_id>/delete/": G("/admin/assessments/assessment/{assessment}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/assessments/assessment/<path:object_id>/change/": G("/admin/assessments/assessment/{assessment}/change/", "302 302 302 302 200 302 302 302 200"),
    "admin/assessments/assessment/<path:object_id>/": G("/admin/assessments/assessment/{assessment}/", "302 302 302 302 302 302 302 302 302"),
    "admin/assessments/unitassessment/": G("/admin/assessments/unitassessment/", "302 302 200 200 200 200 200 200 200"),
    "admin/assessments/unitassessment/add/": G("/admin/assessments/unitassessment/add/", "302 302 403 403 403 403 403 200 200"),
    "admin/assessments/unitassessment/<path:object_id>/history/": G("/admin/assessments/unitassessment/{ua_a}/history/", "302 302 200 302 200 302 200 302 200"),
    "admin/assessments/unitassessment/<path:object_id>/delete/": G("/admin/assessments/unitassessment/{ua_a}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/assessments/unitassessment/<path:object_id>/change/": G("/admin/assessments/unitassessment/{ua_a}/change/", "302 302 200 302 200 302 200 302 200"),
    "admin/assessments/unitassessment/<path:object_id>/": G("/admin/assessments/unitassessment/{ua_a}/", "302 302 302 302 302 302 302 302 302"),
    "admin/disclosure/assessorassignment/": G("/admin/disclosure/assessorassignment/", "302 302 200 200 200 200 200 200 200"),
    "admin/disclosure/assessorassignment/add/": G("/admin/disclosure/assessorassignment/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/assessorassignment/<path:object_id>/history/": G("/admin/disclosure/assessorassignment/{assignment}/history/", "302 302 200 302 200 302 200 302 200"),
    "admin/disclosure/assessorassignment/<path:object_id>/delete/": G("/admin/disclosure/assessorassignment/{assignment}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/assessorassignment/<path:object_id>/change/": G("/admin/disclosure/assessorassignment/{assignment}/change/", "302 302 200 302 200 302 200 302 200"),
    "admin/disclosure/assessorassignment/<path:object_id>/": G("/admin/disclosure/assessorassignment/{assignment}/", "302 302 302 302 302 302 302 302 302"),
    "admin/disclosure/linkcheck/": G("/admin/disclosure/linkcheck/", "302 302 200 200 200 200 200 200 200"),
    "admin/disclosure/linkcheck/add/": G("/admin/disclosure/linkcheck/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/linkcheck/<path:object_id>/history/": G("/admin/disclosure/linkcheck/{check}/history/", "302 302 200 302 200 302 200 302 200"),
    "admin/disclosure/linkcheck/<path:object_id>/delete/": G("/admin/disclosure/linkcheck/{check}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/linkcheck/<path:object_id>/change/": G("/admin/disclosure/linkcheck/{check}/change/", "302 302 200 302 200 302 200 302 200"),
    "admin/disclosure/linkcheck/<path:object_id>/": G("/admin/disclosure/linkcheck/{check}/", "302 302 302 302 302 302 302 302 302"),
    "admin/disclosure/evidenceitem/": G("/admin/disclosure/evidenceitem/", "302 302 200 200 200 200 200 200 200"),
    "admin/disclosure/evidenceitem/add/": G("/admin/disclosure/evidenceitem/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/evidenceitem/<path:object_id>/history/": G("/admin/disclosure/evidenceitem/{item_o1}/history/", "302 302 302 302 200 302 302 302 200"),
    "admin/disclosure/evidenceitem/<path:object_id>/delete/": G("/admin/disclosure/evidenceitem/{item_o1}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/evidenceitem/<path:object_id>/change/": G("/admin/disclosure/evidenceitem/{item_o1}/change/", "302 302 302 302 200 302 302 302 200"),
    "admin/disclosure/evidenceitem/<path:object_id>/": G("/admin/disclosure/evidenceitem/{item_o1}/", "302 302 302 302 302 302 302 302 302"),
    "admin/disclosure/reviewdecision/": G("/admin/disclosure/reviewdecision/", "302 302 200 200 200 200 200 200 200"),
    "admin/disclosure/reviewdecision/add/": G("/admin/disclosure/reviewdecision/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/reviewdecision/<path:object_id>/history/": G("/admin/disclosure/reviewdecision/{decision}/history/", "302 302 302 302 200 302 302 302 200"),
    "admin/disclosure/reviewdecision/<path:object_id>/delete/": G("/admin/disclosure/reviewdecision/{decision}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/disclosure/reviewdecision/<path:object_id>/change/": G("/admin/disclosure/reviewdecision/{decision}/change/", "302 302 302 302 200 302 302 302 200"),
    "admin/disclosure/reviewdecision/<path:object_id>/": G("/admin/disclosure/reviewdecision/{decision}/", "302 302 302 302 302 302 302 302 302"),
    "admin/results/historicalresult/": G("/admin/results/historicalresult/", "302 302 200 200 200 200 200 200 200"),
    "admin/results/historicalresult/add/": G("/admin/results/historicalresult/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/results/historicalresult/<path:object_id>/history/": G("/admin/results/historicalresult/{history}/history/", "302 302 200 302 302 302 200 302 200"),
    "admin/results/historicalresult/<path:object_id>/delete/": G("/admin/results/historicalresult/{history}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/results/historicalresult/<path:object_id>/change/": G("/admin/results/historicalresult/{history}/change/", "302 302 200 302 302 302 200 302 200"),
    "admin/results/historicalresult/<path:object_id>/": G("/admin/results/historicalresult/{history}/", "302 302 302 302 302 302 302 302 302"),
    "admin/results/publication/": G("/admin/results/publication/", "302 302 200 200 200 200 200 200 200"),
    "admin/results/publication/add/": G("/admin/results/publication/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/results/publication/<path:object_id>/history/": G("/admin/results/publication/{publication}/history/", "302 302 302 302 302 302 302 302 200"),
    "admin/results/publication/<path:object_id>/delete/": G("/admin/results/publication/{publication}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/results/publication/<path:object_id>/change/": G("/admin/results/publication/{publication}/change/", "302 302 302 302 302 302 302 302 200"),
    "admin/results/publication/<path:object_id>/": G("/admin/results/publication/{publication}/", "302 302 302 302 302 302 302 302 302"),
    "admin/jobs/job/": G("/admin/jobs/job/", "302 302 403 403 403 403 403 403 403"),
    "admin/jobs/job/add/": G("/admin/jobs/job/add/", "302 302 403 403 403 403 403 403 403"),
    "admin/jobs/job/<path:object_id>/history/": G("/admin/jobs/job/{job}/history/", "302 302 403 403 403 403 403 403 403"),
    "admin/jobs/job/<path:object_id>/delete/": G("/admin/jobs/job/{job}/delete/", "302 302 403 403 403 403 403 403 403"),
    "admin/jobs/job/<path:object_id>/change/": G("/admin/jobs/job/{job}/change/", "302 302 403 403 403 403 403 403 403"),
    "admin/jobs/job/<path:object_id>/": G("/admin/jobs/job/{job}/", "302 302 302 302 302 302 302 302 302"),
}

API: dict[str, Row] = {
    "GET /health": G("/api/v1/health", "200 200 200 200 200 200 200 200 200"),
    "GET /assessments": G("/api/v1/assessments", "200 200 200 200 200 200 200 200 200"),
    "GET /assessments/{slug}/units": G("/api/v1/assessments/{pub}/units", "200 200 200 200 200 200 200 200 200"),
    "GET /assessments/{slug}/units/{code}/score": G("/api/v1/assessments/{open}/units/{A}/score", "404 404 200 404 200 404 200 404 200"),
    "GET /assessments/{slug}/units/{code}/measures": G("/api/v1/assessments/{open}/units/{A}/measures", "404 404 200 404 404 404 200 404 200"),
    "GET /me/results": G("/api/v1/me/results", "401 401 200 200 200 200 200 200 200"),
}
# fmt: on


# --- walking the resolver and the API ------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def api_operations() -> list[str]:
    from ita.api.urls import api

    found: list[str] = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                found.extend(f"{method} {prefix}{path}" for method in operation.methods)
    return found


def _api_route(operation: str) -> str:
    path = operation.split(" ", 1)[1]
    return "api/v1/" + path.lstrip("/").replace("{", "<").replace("}", ">")


def url_routes() -> list[str]:
    """Every URL pattern, except those of API operations (they have their rows in `API`)."""
    api_routes = {_api_route(op) for op in api_operations()}
    return [r for r in _walk(get_resolver().url_patterns) if r not in api_routes]


# --- the world: built once per module, each request rolled back --------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    from ita.accounts.tests.matrix_world import clear_process_caches

    with django_db_blocker.unblock(), transaction.atomic():
        clear_process_caches()
        yield build_world()
        transaction.set_rollback(True)
    clear_process_caches()


def _request(world: World, role: str, row: Row, method: str | None = None) -> Any:
    url = row.url.format(**world.ids)
    with transaction.atomic():  # whatever a POST changes is undone before the next role
        client = world.client(role, enforce_csrf_checks=True)
        if (method or row.method) == "GET":
            response = client.get(url)
        else:
            client.get("/accounts/login/")  # sets the CSRF cookie
            token = client.cookies["csrftoken"].value
            data = {k: str(v).format(**world.ids) for k, v in row.data.items()}
            response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        body = b"" if getattr(response, "streaming", False) else response.content
        if getattr(response, "streaming", False):
            body = response.getvalue()
        transaction.set_rollback(True)
    return response.status_code, body


def _check(world: World, name: str, row: Row) -> None:
    wrong = []
    for role, want in row.expected().items():
        status, body = _request(world, role, row)
        if status != want:
            wrong.append(f"{role}: {status} (table says {want})")
        if role in KEPT_FROM:
            _assert_unreleased_hidden(world, role, name, body)
        if row.method == "POST":
            got, _body = _request(world, role, row, "GET")
            allowed = (405, 302) if role in ("anonymous", "respondent") else (405,)
            if got not in allowed:
                wrong.append(f"{role}: GET {got}, a POST-only view must answer 405")
    assert not wrong, f"{name} ({row.url}):\n  " + "\n  ".join(wrong)


def _assert_unreleased_hidden(world: World, role: str, name: str, body: bytes) -> None:
    text = body.decode("utf-8", "replace")
    assert SECRET_REASON not in text, f"{role} reads the unreleased decision's reason on {name}"
    try:
        shown = numbers(json.loads(text))  # an API answer: its figures, as the page would show them
    except ValueError:
        shown = set(re.findall(r"(?<![\d.])\d+\.\d\d(?!\d)", text))
    leaked = shown & world.unreleased_numbers
    assert not leaked, f"{role} sees a score counting the unreleased decision on {name}: {leaked}"


# --- the tests -----------------------------------------------------------------------------


def test_every_url_pattern_has_a_row() -> None:
    missing = [r for r in url_routes() if r not in URLS]
    assert not missing, "URL patterns with no row in the access matrix:\n" + "\n".join(missing)
    stale = [r for r in URLS if r not in url_routes()]
    assert not stale, "rows for URL patterns that no longer exist:\n" + "\n".join(stale)


def test_every_api_operation_has_a_row() -> None:
    missing = [op for op in api_operations() if op not in API]
    assert not missing, "API operations with no row in the access matrix:\n" + "\n".join(missing)
    stale = [op for op in API if op not in api_operations()]
    assert not stale, "rows for API operations that no longer exist:\n" + "\n".join(stale)


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(URLS))
def test_each_role_gets_the_status_the_matrix_says(world: World, route: str) -> None:
    _check(world, route, URLS[route])


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API))
def test_each_role_gets_the_status_the_matrix_says_from_the_api(world: World, operation: str) -> None:
    _check(world, operation, API[operation])
