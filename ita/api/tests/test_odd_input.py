"""Odd query strings are the caller's mistake: 400 with a message (or ignored), never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ita.accounts.models import User

UNITS = "/api/v1/assessments/esa-2566/units"


@pytest.fixture
def client() -> Client:
    # A 500 must show as a status in the assertion, not as an exception out of the test client.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "query",
    [
        "offset=-1",
        "limit=0",
        "limit=-5",
        "limit=abc",
        "offset=abc",
        "offset=99999999999999999999999999",
        "limit=99999999999999999999999999",
        "offset=1e3",
        "limit=%C2%B2",  # superscript two: a "digit" to str.isdigit, not to int()
        "within=" + "x" * 500,
    ],
)
def test_an_odd_paging_value_on_the_open_data_api_is_a_400_with_a_message(
    demo: Any, client: Client, query: str
) -> None:
    response = client.get(f"{UNITS}?{query}")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["detail"].startswith("ค่าในคำขอไม่ถูกต้อง") and body["errors"] and body["errors"][0]["field"]


def test_a_negative_offset_on_my_results_is_a_400_not_a_500(demo: Any, client: Client) -> None:
    client.force_login(User.objects.get(username="samutsakhon"))
    for query in ("offset=-1", "limit=0", "limit=abc", "offset=99999999999999999999999999"):
        response = client.get(f"/api/v1/me/results?{query}")
        assert response.status_code == 400 and response.json()["errors"], query


def test_valid_paging_still_pages(demo: Any, client: Client) -> None:
    whole = client.get(f"{UNITS}?limit=1000").json()
    second = client.get(f"{UNITS}?limit=2&offset=1").json()
    assert whole["count"] >= 3 and second["results"] == whole["results"][1:3]


def test_a_forged_id_on_the_assign_form_is_a_message_not_a_server_error(db: Any, program_admin: Any, tree: Any) -> None:
    from django.conf import settings
    from django.test import Client

    from ita.assessments.services import do_create_assessment
    from ita.frameworks.services import do_load_framework

    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    do_create_assessment(slug="odd", name_th="ทดสอบ", framework=framework, run_by=tree["obec"])
    client = Client()
    client.force_login(program_admin)
    for value in ("abc", "²", "-1", "9" * 40):
        response = client.post("/oit/odd/assign/", {"unit_assessment": value, "assessor": value})
        assert response.status_code in (200, 302, 400), (value, response.status_code)
