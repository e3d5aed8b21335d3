"""Public history changes only through audited services; the admin only shows it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ita.accounts.models import User
from ita.audit.models import AuditEntry
from ita.results.importer import HistoryError, do_correct_history
from ita.results.models import HistoricalResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")


def _history(tree: Any) -> HistoricalResult:
    return HistoricalResult.objects.create(unit=tree["esa_a"], fiscal_year=2565, total=Decimal("96.94"))


def test_even_a_superuser_can_neither_change_nor_add_a_historical_result_in_the_admin(
    tree: Any, superuser: User
) -> None:
    row = _history(tree)
    client = Client()
    client.force_login(superuser)
    change = f"/admin/results/historicalresult/{row.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    posted = client.post(change, {"unit": row.unit_id, "fiscal_year": 2565, "total": "50.00", "source": "x"})
    assert posted.status_code == 403
    assert client.get("/admin/results/historicalresult/add/").status_code == 403
    added = client.post(
        "/admin/results/historicalresult/add/", {"unit": row.unit_id, "fiscal_year": 2564, "total": "1", "source": ""}
    )
    assert added.status_code == 403
    assert client.post(f"/admin/results/historicalresult/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(HistoricalResult.objects.values_list("fiscal_year", "total")) == [(2565, Decimal("96.94"))]


def test_a_program_admin_cannot_change_a_historical_result_in_the_admin_either(tree: Any, program_admin: User) -> None:
    row = _history(tree)
    client = Client()
    client.force_login(program_admin)
    posted = client.post(
        f"/admin/results/historicalresult/{row.pk}/change/",
        {"unit": row.unit_id, "fiscal_year": 2565, "total": "50.00", "source": "x"},
    )
    assert posted.status_code == 403
    row.refresh_from_db()
    assert row.total == Decimal("96.94")


def test_an_import_leaves_an_audit_entry_with_who_the_file_the_rows_and_what_it_replaced(
    tree: Any, tmp_path: Path
) -> None:
    _history(tree)
    path = tmp_path / "history-2565.csv"
    path.write_text("year,unit_code,total\n2565,esa-a,96.90\n2564,esa-a,87.91\n", encoding="utf-8")
    call_command("results", "import", str(path))
    entry = AuditEntry.objects.get(action="results.history.imported")
    assert entry.target == "history-2565.csv" and entry.data["rows"] == 2 and entry.data["by"]
    assert entry.data["replaced"] == [["esa-a", 2565, "96.94", "96.90"]]


def test_a_correction_needs_a_reason_and_is_audited_with_the_figure_it_replaces(tree: Any, program_admin: User) -> None:
    _history(tree)
    with pytest.raises(HistoryError):
        do_correct_history(tree["esa_a"], 2565, Decimal("96.49"), " ", program_admin)
    row = do_correct_history(tree["esa_a"], 2565, Decimal("96.49"), "พิมพ์ผิดจากรายงาน", program_admin)
    assert row.total == Decimal("96.49")
    entry = AuditEntry.objects.get(action="results.history.corrected")
    assert entry.actor == program_admin and entry.target == "esa-a/2565"
    assert (entry.data["before"], entry.data["after"], entry.data["reason"]) == ("96.94", "96.49", "พิมพ์ผิดจากรายงาน")
