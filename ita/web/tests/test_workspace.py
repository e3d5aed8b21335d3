"""The public face, the language, the dashboards and the publication check, on the demo."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.assessments.models import Assessment, AssessmentPhase
from ita.lib.thai import thai_datetime, thai_short_date
from ita.results.models import Publication

pytestmark = pytest.mark.django_db


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_thai_dates_are_in_the_buddhist_era() -> None:
    assert thai_short_date(dt.date(2026, 11, 25)) == "25 พ.ย. 2569"
    assert thai_short_date(dt.date(2026, 11, 25), digits=True) == "๒๕ พ.ย. ๒๕๖๙"
    assert thai_datetime(dt.datetime(2026, 1, 2, 9, 5)) == "2 ม.ค. 2569 09:05 น."


def test_the_anonymous_home_page_leads_to_published_results_and_finds_a_unit(demo: None) -> None:
    home = Client().get("/").content.decode()
    assert 'href="/results/esa-2566/"' in home
    assert 'action="/results/"' in home
    found = Client().get("/results/", {"q": "สมุทรสาคร"}).content.decode()
    assert 'href="/results/esa-2566/u/samutsakhon-pesa/"' in found
    assert "96.77" in found  # the frozen card of the published version
    assert "ไม่พบหน่วยงาน" in Client().get("/results/", {"q": "no-such-unit"}).content.decode()


def test_an_english_browser_gets_thai_until_the_user_chooses_english(demo: None) -> None:
    client = Client()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "th"
    assert "ผลการประเมินที่ประกาศแล้ว" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="th")
    assert page["Content-Language"] == "en"
    html = page.content.decode()
    assert "Published results" in html and "Search a unit by name or code" in html
    assert "ผลการประเมินที่ประกาศแล้ว" not in html


def test_the_admin_link_is_shown_only_to_those_who_manage_units_and_accounts(demo: None) -> None:
    assert 'href="/admin/"' in _as("admin").get("/").content.decode()
    assert 'href="/admin/"' not in _as("samutsakhon").get("/").content.decode()


def test_a_coordinator_lands_on_what_to_do_now(demo: None) -> None:
    running = Assessment.objects.exclude(state="published").first()
    assert running is not None
    page = _as("admin").get("/").content.decode()
    assert 'data-testid="panel"' in page and f'data-assessment="{running.slug}"' in page


def test_publication_asks_for_confirmation_and_lists_what_blocks_it(demo: None) -> None:
    running = Assessment.objects.exclude(state="published").first()
    assert running is not None
    admin = _as("admin")
    page = admin.get(f"/results/{running.slug}/publish/confirm").content.decode()
    assert 'data-testid="blockers"' in page and "ยังไม่สิ้นสุด" in page
    assert 'data-testid="publish-form"' not in page  # nothing to click while a phase is running
    # Once every phase before publication has ended, the warnings stay and the form appears.
    past = timezone.now() - dt.timedelta(days=1)
    AssessmentPhase.objects.filter(assessment=running).exclude(kind="publication").update(
        starts_at=past - dt.timedelta(days=30), ends_at=past
    )
    page = admin.get(f"/results/{running.slug}/publish/confirm").content.decode()
    assert 'data-testid="publish-form"' in page and 'data-testid="warnings"' in page
    admin.post(f"/results/{running.slug}/publish")  # no tick: nothing happens
    assert not Publication.objects.filter(assessment=running).exists()
    admin.post(f"/results/{running.slug}/publish", {"confirm": "on"})
    assert Publication.objects.filter(assessment=running).count() == 1


def test_the_ranking_offers_the_check_before_publishing_not_a_one_click_publish(demo: None, settings: Any) -> None:
    running = Assessment.objects.exclude(state="published").first()
    assert running is not None
    page = _as("admin").get(f"/results/{running.slug}/").content.decode()
    assert f'href="/results/{running.slug}/publish/confirm"' in page
    assert f'action="/results/{running.slug}/publish"' not in page


def test_error_pages_are_the_sites_own_in_thai_with_the_sarabun_stylesheet(demo: None) -> None:
    missing = Client().get("/results/no-such-assessment/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "ไม่พบหน้านี้" in html and "/static/ita/ita.css" in html
    refused = _as("samutsakhon").get("/admin/accounts/user/")
    assert refused.status_code == 403 and "ไม่มีสิทธิ์เข้าถึงหน้านี้" in refused.content.decode()
    csrf = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert csrf.status_code == 403 and "แบบฟอร์มหมดอายุ" in csrf.content.decode()


def test_assessors_and_viewers_get_no_survey_links_they_cannot_open(demo: None) -> None:
    running = Assessment.objects.exclude(state="published").first()
    assert running is not None
    for username in ("assessor", "viewer"):
        page = _as(username).get(f"/a/{running.slug}/").content.decode()
        assert f'href="/s/m/{running.slug}/' not in page
    assert f'href="/s/m/{running.slug}/' in _as("admin").get(f"/a/{running.slug}/").content.decode()


def test_a_public_unit_page_says_where_its_sample_was_below_the_minimum(demo: None) -> None:
    short = Client().get("/results/esa-2566/u/khonkaen1-pesa/").content.decode()  # 14 IIT answers
    assert 'data-testid="below-sample"' in short
    full = Client().get("/results/esa-2566/u/samutsakhon-pesa/").content.decode()
    assert 'data-testid="below-sample"' not in full


def test_the_demo_names_a_taken_port_instead_of_failing_in_gunicorn() -> None:
    import socket

    from django.core.management import call_command
    from django.core.management.base import CommandError

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        bind = f"127.0.0.1:{busy.getsockname()[1]}"
        with pytest.raises(CommandError, match=f"{bind} is already in use.*PORT=8001"):
            call_command("demo", bind=bind)


def test_a_school_coordinator_sees_its_survey_progress_against_the_minimum_with_links(demo: None) -> None:
    page = _as("school").get("/").content.decode()
    assert 'data-assessment="school-2566-samutsakhon"' in page
    assert "ผู้ประสานงานหน่วยงาน" in page
    assert re.search(r"IIT ตอบแล้ว \d+ จากขั้นต่ำ \d+ คน", page)
    assert 'href="/s/m/school-2566-samutsakhon/' in page and 'href="/oit/school-2566-samutsakhon/' in page


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="(/[^"#]*)"', html):
        href = href.replace("&amp;", "&")
        if not href.startswith(("/admin", "/static", "/api", "/results/esa-2566/download")) and ".pdf" not in href:
            found.append(href)
    return found


@pytest.mark.parametrize("username", ["", "school", "assessor", "viewer"])
def test_no_link_a_role_is_shown_leads_to_a_page_it_cannot_open(demo: None, username: str) -> None:
    client = _as(username) if username else Client()
    seen: set[str] = set()
    queue, dead = [("/", 0)], []
    while queue and len(seen) < 60:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            dead.append(f"{url}: {response.status_code}")
        elif depth < 2 and "text/html" in response.get("Content-Type", ""):
            queue += [(link, depth + 1) for link in _links(response.content.decode())]
    assert not dead, f"{username or 'anonymous'} is shown dead links:\n" + "\n".join(dead)


def test_the_years_checklist_is_for_the_units_coordinator_and_program_admins_only(demo: None) -> None:
    url = "/a/school-2566-samutsakhon/u/" + _school_code() + "/"
    assert _as("school").get(url).status_code == 200
    assert _as("admin").get(url).status_code == 200
    assert _as("assessor").get(url).status_code == 404
    assert _as("viewer").get(url).status_code == 404


def _school_code() -> str:
    from ita.accounts.models import Membership

    return Membership.objects.get(user__username="school").unit.code
