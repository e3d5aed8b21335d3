"""The demo data: OBEC, its ESAs, a few schools, the 2566 ESA assessment with raw answers and
OIT decisions, and demo users. Idempotent: running it twice changes nothing.

สพป.สมุทรสาคร's answers are *solved for* so that the engine scores it to the reference
report's figures; no score is ever stored. The other ESAs get random but plausible answers:
one of them fails, one falls short of the minimum IIT sample.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import Assessment, AssessmentState, PhaseKind, UnitAssessment
from ita.assessments.services import do_create_assessment, do_set_calendar, do_set_headcounts
from ita.demo.measures import load_measures_demo
from ita.demo.oit import load_oit_demo
from ita.demo.publish import publish_demo
from ita.demo.solver import answer_sheets, plausible_sheets, respondents_for
from ita.disclosure.models import EvidenceItem
from ita.disclosure.services import do_record_review
from ita.flow import do_add_units
from ita.frameworks.models import Framework
from ita.frameworks.services import do_load_framework
from ita.frameworks.spec import FrameworkSpec
from ita.results.models import HistoricalResult
from ita.surveys.models import SurveyResponse
from ita.surveys.services import rebuild_tallies
from ita.units.models import Unit, UnitType

BANGKOK = ZoneInfo("Asia/Bangkok")
DEMO_PASSWORD = "ita-demo-2566"  # noqa: S105 - printed on screen by `ita demo`; demo only

SAMUTSAKHON = "samutsakhon-pesa"
# Part 2 of the reference report: indicator scores of สพป.สมุทรสาคร, FY 2566.
REPORT_INDICATORS = {
    "1": "97.75",
    "2": "90.76",
    "3": "96.22",
    "4": "94.06",
    "5": "93.87",
    "6": "95.78",
    "7": "94.07",
    "8": "94.30",
}
REPORT_HISTORY = {
    2558: "63.37",
    2559: "81.34",
    2560: "89.68",
    2561: "91.67",
    2562: "91.25",
    2563: "89.79",
    2564: "87.91",
    2565: "96.94",
}
O24_REASON = "ไม่มีรายละเอียดงบประมาณที่ใช้ดำเนินงานแต่ละโครงการ/กิจกรรม"


@dataclass(frozen=True)
class DemoEsa:
    code: str
    name_th: str
    name_en: str
    staff: int
    quality: float  # share of best answers in its random data
    oit_fails: int
    iit_respondents: int | None = None  # None: a comfortable sample


ESAS = (
    DemoEsa(
        SAMUTSAKHON,
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร",
        "Samut Sakhon Primary Educational Service Area Office",
        72,
        0,
        0,
    ),
    DemoEsa(
        "nakhonpathom1-pesa", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครปฐม เขต 1", "Nakhon Pathom Primary ESA 1", 81, 0.82, 2
    ),
    DemoEsa(
        "samutprakan1-pesa", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรปราการ เขต 1", "Samut Prakan Primary ESA 1", 77, 0.78, 4
    ),
    DemoEsa("ratchaburi1-pesa", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาราชบุรี เขต 1", "Ratchaburi Primary ESA 1", 69, 0.88, 0),
    DemoEsa(
        "kanchanaburi1-pesa", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษากาญจนบุรี เขต 1", "Kanchanaburi Primary ESA 1", 74, 0.70, 6
    ),
    DemoEsa("bangkok1-sesa", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษากรุงเทพมหานคร เขต 1", "Bangkok Secondary ESA 1", 95, 0.80, 3),
    DemoEsa(
        "chiangmai1-pesa", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1", "Chiang Mai Primary ESA 1", 88, 0.40, 19
    ),  # fails
    DemoEsa(
        "khonkaen1-pesa",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "Khon Kaen Primary ESA 1",
        83,
        0.75,
        5,
        iit_respondents=14,
    ),  # short sample
    DemoEsa("songkhla1-pesa", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสงขลา เขต 1", "Songkhla Primary ESA 1", 79, 0.85, 1),
)
SCHOOLS = (
    ("ss-watsuthiwat", "โรงเรียนวัดสุทธิวาตวราราม", "Wat Suthiwat School", 34),
    ("ss-bankhokkham", "โรงเรียนบ้านโคกขาม", "Ban Khok Kham School", 21),
    ("ss-watnangsao", "โรงเรียนวัดนางสาว", "Wat Nang Sao School", 18),
    ("ss-tachin", "โรงเรียนวัดท่าจีน", "Wat Tha Chin School", 27),
    ("ss-banphaeo", "โรงเรียนบ้านแพ้ว", "Ban Phaeo School", 41),
)
FAIL_REASONS = ("ไม่พบข้อมูล", "ข้อมูลไม่เป็นปัจจุบัน", "ไม่ครบองค์ประกอบ")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str


def _at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=BANGKOK)


def load_demo(progress: Callable[[str], None] = lambda _msg: None) -> list[DemoLogin]:
    progress("เกณฑ์การประเมิน (frameworks)")
    esa_fw, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    school_fw, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-school.yaml")
    progress("หน่วยงาน (units)")
    obec, esas, schools = _units()
    progress("ผู้ใช้ตัวอย่าง (demo users)")
    logins = _users(obec, esas[SAMUTSAKHON], esas["nakhonpathom1-pesa"], schools[0])
    progress("การประเมิน esa-2566")
    _esa_assessment(esa_fw, obec, esas)
    progress("การประเมินสถานศึกษา school-2566-samutsakhon")
    _school_assessment(school_fw, esas[SAMUTSAKHON], schools)
    progress("ผลย้อนหลัง 2558-2565 (history)")
    _history(esas)
    publish_demo()  # results: esa-2566 published, so its results are public
    load_oit_demo()  # OIT: assessor assignments, submitted evidence
    load_measures_demo()  # improvement: สพป.สมุทรสาคร's measures of the report's part 3 and 4
    return logins


def _units() -> tuple[Unit, dict[str, Unit], list[Unit]]:
    obec, _ = Unit.objects.get_or_create(
        code="obec",
        defaults={
            "name_th": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
            "name_en": "Office of the Basic Education Commission",
            "unit_type": UnitType.OBEC,
            "website": "https://www.obec.go.th/",
        },
    )
    esas = {}
    for esa in ESAS:
        esas[esa.code], _ = Unit.objects.get_or_create(
            code=esa.code,
            defaults={
                "name_th": esa.name_th,
                "name_en": esa.name_en,
                "unit_type": UnitType.ESA,
                "parent": obec,
                "staff_count": esa.staff,
                "website": f"https://{esa.code}.example.go.th/",
            },
        )
    schools = []
    for code, name_th, name_en, staff in SCHOOLS:
        school, _ = Unit.objects.get_or_create(
            code=code,
            defaults={
                "name_th": name_th,
                "name_en": name_en,
                "unit_type": UnitType.SCHOOL,
                "parent": esas[SAMUTSAKHON],
                "staff_count": staff,
                "website": f"https://{code}.example.ac.th/",
            },
        )
        schools.append(school)
    return obec, esas, schools


def _users(obec: Unit, samutsakhon: Unit, other_esa: Unit, school: Unit) -> list[DemoLogin]:
    cast = (
        ("admin", Role.PROGRAM_ADMIN, obec, "ผู้ดูแลโครงการ สพฐ."),
        ("samutsakhon", Role.COORDINATOR, samutsakhon, "ผู้ประสานงาน ITA สพป.สมุทรสาคร"),
        ("nakhonpathom", Role.COORDINATOR, other_esa, "ผู้ประสานงาน ITA สพป.นครปฐม เขต 1"),
        ("assessor", Role.ASSESSOR, obec, "คณะกรรมการตรวจประเมิน"),
        ("school", Role.COORDINATOR, school, "ผู้ประสานงาน ITA โรงเรียน"),
        ("viewer", Role.VIEWER, obec, "ผู้ดูข้อมูล"),
    )
    logins = []
    for username, role, unit, name in cast:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": name, "is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        logins.append(DemoLogin(username, str(Role(role).label), unit.name_th))
    return logins


def _esa_assessment(framework: Framework, obec: Unit, esas: dict[str, Unit]) -> None:
    assessment = Assessment.objects.filter(slug="esa-2566").first()
    if assessment is None:
        assessment = do_create_assessment(
            slug="esa-2566",
            name_th="การประเมิน ITA Online สำนักงานเขตพื้นที่การศึกษา ปีงบประมาณ พ.ศ. 2566",
            name_en="ITA Online for ESAs, FY 2566",
            framework=framework,
            run_by=obec,
        )
        do_set_calendar(
            assessment,
            {
                PhaseKind.IIT: (_at(2023, 4, 1), _at(2023, 6, 30)),
                PhaseKind.EIT: (_at(2023, 4, 1), _at(2023, 6, 30)),
                PhaseKind.OIT_SUBMISSION: (_at(2023, 3, 1), _at(2023, 5, 31)),
                PhaseKind.REVIEW: (_at(2023, 6, 1), _at(2023, 6, 30)),
                PhaseKind.CLARIFICATION: (_at(2023, 7, 1), _at(2023, 7, 15)),
                PhaseKind.CONFIRMATION: (_at(2023, 7, 16), _at(2023, 7, 31)),
                PhaseKind.PUBLICATION: (_at(2023, 8, 15), _at(2023, 9, 30)),
            },
        )
        assessment.state = AssessmentState.OPEN
        assessment.save(update_fields=["state"])
    do_add_units(assessment, esas.values())
    spec = framework.spec
    for index, esa in enumerate(ESAS):
        ua = UnitAssessment.objects.get(assessment=assessment, unit=esas[esa.code])
        if ua.responses.exists():
            continue
        rng = random.Random(2566 + index)
        if esa.code == SAMUTSAKHON:
            targets = {k: Fraction(v) for k, v in REPORT_INDICATORS.items()}
            sheets = {
                tool: answer_sheets(spec, tool, targets, respondents_for(spec, tool, targets, at_least), seed=2566)
                for tool, at_least in (("IIT", 50), ("EIT", 100))
            }
        else:
            iit = esa.iit_respondents or rng.randint(30, esa.staff - 5)
            sheets = {
                "IIT": plausible_sheets(spec, "IIT", iit, esa.quality, seed=index),
                "EIT": plausible_sheets(
                    spec, "EIT", rng.randint(60, 140), min(0.97, esa.quality + 0.05), seed=100 + index
                ),
            }
        do_set_headcounts(ua, internal=esa.staff, external=len(sheets["EIT"]) * 10)
        _store_sheets(ua, spec, sheets, rng)
        _decide_oit(ua, spec, esa, rng)


def _school_assessment(framework: Framework, esa: Unit, schools: list[Unit]) -> None:
    assessment = Assessment.objects.filter(slug="school-2566-samutsakhon").first()
    if assessment is None:
        assessment = do_create_assessment(
            slug="school-2566-samutsakhon",
            name_th="การประเมิน ITA Online สถานศึกษาในสังกัด สพป.สมุทรสาคร ปีงบประมาณ พ.ศ. 2566",
            name_en="ITA Online for schools of Samut Sakhon PESA, FY 2566",
            framework=framework,
            run_by=esa,
        )
        # Collection and OIT submission are open around the day the demo is loaded, so a visitor
        # can issue IIT codes, answer the surveys and submit evidence for these schools.
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        window = (today - dt.timedelta(days=14), today + dt.timedelta(days=60))
        do_set_calendar(assessment, {PhaseKind.IIT: window, PhaseKind.EIT: window, PhaseKind.OIT_SUBMISSION: window})
        assessment.state = AssessmentState.OPEN
        assessment.save(update_fields=["state"])
    do_add_units(assessment, schools)
    spec = framework.spec
    for index, school in enumerate(schools):
        ua = UnitAssessment.objects.get(assessment=assessment, unit=school)
        if ua.responses.exists():
            continue
        rng = random.Random(7000 + index)
        staff = school.staff_count or 20
        quality = 0.65 + 0.06 * index
        sheets = {
            "IIT": plausible_sheets(spec, "IIT", max(5, staff - rng.randint(0, 6)), quality, seed=7000 + index),
            "EIT": plausible_sheets(spec, "EIT", rng.randint(30, 60), quality, seed=7100 + index),
        }
        do_set_headcounts(ua, internal=staff, external=len(sheets["EIT"]) * 8)
        _store_sheets(ua, spec, sheets, rng)
        _decide_oit(ua, spec, DemoEsa(school.code, "", "", staff, quality, oit_fails=6 - index), rng)


@transaction.atomic
def _store_sheets(
    ua: UnitAssessment, spec: FrameworkSpec, sheets: dict[str, list[dict[str, int]]], rng: random.Random
) -> None:
    """Bulk path for generated answers; the tallies are then rebuilt from the stored sheets,
    exactly as `rebuild_tallies` does for a real unit."""
    start, _end = _at(2023, 4, 1).date(), _at(2023, 6, 30).date()
    categories = [c.code for c in spec.respondent_categories]
    rows = [
        SurveyResponse(
            unit_assessment=ua,
            tool=tool,
            answers=sheet,
            category=rng.choice(categories) if tool == "EIT" else "",
            submitted_on=start + dt.timedelta(days=rng.randrange(90)),
        )
        for tool, tool_sheets in sheets.items()
        for sheet in tool_sheets
    ]
    rng.shuffle(rows)
    SurveyResponse.objects.bulk_create(rows, batch_size=500)
    rebuild_tallies(ua, spec)


def _decide_oit(ua: UnitAssessment, spec: FrameworkSpec, esa: DemoEsa, rng: random.Random) -> None:
    items = {item.item_code: item for item in EvidenceItem.objects.filter(unit_assessment=ua)}
    failing = set(rng.sample([i.code for i in spec.oit_items], esa.oit_fails))
    for code, item in items.items():
        if item.passed is not None:
            continue
        if esa.code == SAMUTSAKHON and code == "O24":
            # The report's O24 case: failed in review, fixed during clarification, then passed.
            do_record_review(item, assessor=None, passed=False, reason=O24_REASON)
            do_record_review(
                item,
                assessor=None,
                passed=True,
                reason="ชี้แจงเพิ่มเติมพร้อมรายละเอียดงบประมาณรายโครงการแล้ว",
                round="confirmation",
            )
        elif code in failing:
            do_record_review(item, assessor=None, passed=False, reason=rng.choice(FAIL_REASONS))
        else:
            do_record_review(item, assessor=None, passed=True)
    EvidenceItem.objects.filter(unit_assessment=ua).update(released=True)


def _history(esas: dict[str, Unit]) -> None:
    for index, esa in enumerate(ESAS):
        rng = random.Random(900 + index)
        years = (
            REPORT_HISTORY
            if esa.code == SAMUTSAKHON
            else {year: f"{min(99.5, 62 + (year - 2558) * 3.4 + rng.uniform(-4, 4)):.2f}" for year in range(2560, 2566)}
        )
        for year, total in years.items():
            HistoricalResult.objects.get_or_create(
                unit=esas[esa.code],
                fiscal_year=year,
                defaults={"total": Decimal(total), "source": "นำเข้าจากรายงานผลการประเมินที่เผยแพร่"},
            )
