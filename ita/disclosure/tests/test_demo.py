from __future__ import annotations

import pytest
from django.test import Client

from ita.accounts.models import User
from ita.demo.oit import load_oit_demo
from ita.disclosure.models import AssessorAssignment

pytestmark = pytest.mark.django_db


def test_the_demo_assessor_reviews_samutsakhon_whose_oit_stays_at_the_reports_100(demo: None) -> None:
    load_oit_demo()  # a second run changes nothing
    assert AssessorAssignment.objects.filter(unit_assessment__assessment__slug="esa-2566").count() == 9
    client = Client()
    client.force_login(User.objects.get(username="assessor"))
    html = client.get("/oit/esa-2566/samutsakhon-pesa/review/").content.decode()
    assert '<strong data-testid="oit-score">100.00</strong>' in html
    assert 'data-decision="O24">ผ่าน: ชี้แจงเพิ่มเติมพร้อมรายละเอียดงบประมาณรายโครงการแล้ว' in html
