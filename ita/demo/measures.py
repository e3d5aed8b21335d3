"""Measures demo data: the catalogue of proposed measures for the ESA framework, and
สพป.สมุทรสาคร's four measures and three actions of the reference report (parts 3 and 4),
entered through the services, with the 6-month follow-up recorded and made public. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ita.accounts.models import User
from ita.assessments.models import UnitAssessment
from ita.frameworks.models import Framework
from ita.improvement.models import Area, Status
from ita.improvement.services import (
    ActionInput,
    FollowUpInput,
    MeasureInput,
    do_add_action,
    do_add_catalogue_entry,
    do_add_measure,
    do_record_follow_up,
    do_set_plan,
    do_set_public,
    do_write_summary,
    plan_of,
)

ALL_GROUPS = "ทุกกลุ่ม/หน่วย"
GROUPS = "\n".join(["ผู้รับผิดชอบการประเมิน ITA ของหน่วยงาน", "กลุ่มอำนวยการ", "กลุ่มส่งเสริมการศึกษาทางไกลฯ", ALL_GROUPS])

# (answers, area, title, steps): the report's part 3 measures are the catalogue's proposals for
# indicators 7 to 10; indicators 2, 4 and 5 (the report's lowest) get proposals of their own.
CATALOGUE = (
    (
        "10",
        Area.PREVENTION,
        "จัดทำประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงาน และประกาศเพื่อป้องกันการทุจริต (No Gift Policy)",
        "ทบทวนนโยบายหรือมาตรการป้องกันการทุจริตในหน่วยงานให้มีประสิทธิภาพ\n"
        "เฝ้าระวัง ตรวจสอบการทุจริตภายในหน่วยงาน และนำผลการตรวจสอบไปปรับปรุงการทำงานเพื่อป้องกันการทุจริต\n"
        "สร้างและพัฒนาเครือข่าย สนับสนุนการมีส่วนร่วม ในการดำเนินการป้องกันและต่อต้านการทุจริต",
    ),
    (
        "9",
        Area.DISCLOSURE,
        "ตรวจสอบและปรับปรุงการเปิดเผยข้อมูลบนเว็บไซต์",
        "ดำเนินการตรวจสอบข้อมูลให้ถูกต้องครบถ้วน สมบูรณ์\nปรับปรุง พัฒนาเว็บไซต์ ให้เป็นปัจจุบัน และง่ายต่อการเข้าถึงข้อมูล",
    ),
    (
        "8",
        Area.WORK_SYSTEM,
        "ปรับปรุงขั้นตอนการปฏิบัติงานและการให้บริการ",
        "พัฒนา ปรับปรุงหรือทบทวนขั้นตอนการปฏิบัติงานหรือขั้นตอนการให้บริการตามแนวทางที่ พ.ร.บ.อำนวยความสะดวก พ.ศ.2548 กำหนด\n"
        "การดำเนินการกิจต่อประชาชนหรือผู้มีส่วนได้ส่วนเสียด้วยความโปร่งใส และตรวจสอบได้\n"
        "นำเทคโนโลยีสารสนเทศมาใช้ในการให้บริการ หรือการดำเนินงานให้เกิดความสะดวก รวดเร็วและมีประสิทธิภาพมากยิ่งขึ้น\n"
        "พัฒนาบุคลากรให้มีความรู้ในการปฏิบัติงานเพื่อเพิ่มประสิทธิภาพการทำงานให้มีคุณภาพ",
    ),
    (
        "7",
        Area.COMMUNICATION,
        "เพิ่มช่องทางการสื่อสารและการรับฟังความคิดเห็น",
        "เผยแพร่ข้อมูลข่าวสารต่อสาธารณชน ผ่านช่องทางที่หลากหลาย เช่น เว็บไซต์ เฟสบุ๊ก กลุ่มไลน์ ระบบ AMSS เป็นต้น\n"
        "เพิ่มช่องทางการรับฟังความคิดเห็นเกี่ยวกับการดำเนินงานของหน่วยงาน เช่น การจัดทำ QR Code\n"
        "มอบหมายให้มีผู้ตอบข้อสอบถามทางระบบ และมอบหมายบุคลากรแต่ละกลุ่มตอบข้อสอบถาม",
    ),
    (
        "2",
        Area.PREVENTION,
        "เปิดเผยแผนและผลการใช้จ่ายงบประมาณ",
        "เผยแพร่แผนการใช้จ่ายงบประมาณประจำปีและรายงานผลการใช้จ่ายรายไตรมาส\nเปิดช่องทางให้บุคลากรมีส่วนร่วมตรวจสอบการใช้จ่ายงบประมาณ",
    ),
    (
        "4",
        Area.PREVENTION,
        "กำหนดแนวปฏิบัติการใช้ทรัพย์สินของราชการ",
        "จัดทำและเผยแพร่แนวปฏิบัติการยืมและใช้ทรัพย์สินของราชการ\nสื่อสารแนวปฏิบัติให้บุคลากรทุกคนทราบ",
    ),
    (
        "5",
        Area.PREVENTION,
        "ส่งเสริมการแก้ไขปัญหาการทุจริต",
        "ประกาศเจตจำนงสุจริตของผู้บริหาร\nเปิดช่องทางร้องเรียนการทุจริตที่ปกป้องผู้ร้องเรียน",
    ),
)

# The four rows of the report's part 3 table: catalogue entry, title, responsible groups.
MEASURES = (
    (
        "10",
        "-จัดทำประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงาน\n"
        "-ประกาศเพื่อป้องกันการทุจริต (การงดรับและให้ของขวัญในเทศกาลต่างๆ หรือโอกาสอื่นใด No Gift Policy)",
        "ผู้รับผิดชอบการประเมิน ITA ของหน่วยงาน\nทุกกลุ่ม/หน่วยที่เกี่ยวข้อง",
    ),
    ("9", "", ALL_GROUPS),
    ("8", "", ALL_GROUPS),
    ("7", "", "กลุ่มอำนวยการ\nกลุ่มส่งเสริมการศึกษาทางไกลฯ\nทุกกลุ่ม/หน่วย"),
)

ACTIONS = (
    (
        "การไม่รับของขวัญและของกำนัลทุกชนิดในขณะ/ก่อน/หลัง ปฏิบัติหน้าที่ (No Gift Policy)",
        "การไม่รับของขวัญและของกำนัลทุกชนิดในขณะ/ก่อน/หลัง ปฏิบัติหน้าที่ (No Gift Policy)\n"
        "แจ้งผู้บริหารสถานศึกษา ครู และบุคลากรทางการศึกษาในสังกัดถือปฏิบัติ\n"
        "แจ้งหน่วยงานในสังกัด สพฐ.\n"
        "ประกาศให้ประชาชนทราบโดยทั่วกัน ผ่านทางหน้าเว็บไซต์หลักของหน่วยงาน\n"
        "ออกแบบ/จัดทำป้าย ประชาสัมพันธ์",
        "no-gift",
    ),
    (
        "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567",
        "ทบทวนข้อมูลและบริบทที่เกี่ยวข้อง\n"
        "วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. 2566\n"
        "จัดทำแผนปฏิบัติการป้องกันการทุจริต สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร ประจำปี พ.ศ. 2567 "
        "โดยใช้กรอบแนวทางยุทธศาสตร์ชาติว่าด้วยการป้องกัน และปราบปรามการทุจริต ระยะที่ 3 "
        "แผนงานบูรณาการต่อต้านการทุจริตและประพฤติมิชอบ\n"
        "ดำเนินกิจกรรมตามแผนปฏิบัติการป้องกันการทุจริต",
        "anti-corruption-plan",
    ),
    (
        "ประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส ของสำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร",
        "วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. 2566\n"
        "จัดทำประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใสของหน่วยงาน\n"
        "แจกบุคลากรในสังกัดถือปฏิบัติ\n"
        "ดำเนินการตามมาตรการ ด้านการป้องกันการทุจริต ด้านการเปิดเผยข้อมูล ด้านการปรับปรุงระบบการทำงาน "
        "ด้านประสิทธิภาพการสื่อสาร",
        "measures",
    ),
)

SUMMARY = (
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานของสำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร "
    "ประจำปีงบประมาณ พ.ศ. 2566 ได้นำผลวิเคราะห์ที่เป็นจุดควรพัฒนา ดำเนินการ ดังนี้\n"
    "1. การไม่รับของขวัญและของกำนัลทุกชนิดในขณะ/ก่อน/หลัง ปฏิบัติหน้าที่ (No Gift Policy)\n"
    "2. แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2566\n"
    "3. ประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส ของสำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร"
)
RESULTS = (
    "1. ดำเนินการส่งเสริมคุณธรรม ในการประกาศ การไม่รับของขวัญและของกำนัลทุกชนิดในขณะ/ก่อน/หลัง ปฏิบัติหน้าที่ "
    "(No Gift Policy) ผ่านระบบ AMSS และหน้าเว็บไซต์ และจากการสังเกตพฤติกรรม พบว่าไม่มีการนำของขวัญ "
    "หรือของอื่น ๆ มาให้บุคลากรทางการศึกษา\n"
    "2. ดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2566 "
    "สามารถส่งเสริมให้ระบบบริหารจัดการภายในองค์กรเป็นไปตามหลักธรรมาภิบาล สร้างวัฒนธรรมและค่านิยมการต่อต้านการทุจริต\n"
    "3. การประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส ได้กำหนดแนวทางให้บุคลากรในสังกัดถือปฏิบัติ "
    "โดยมอบหมายผู้รับผิดชอบตามภารกิจ"
)


@transaction.atomic
def load_measures_demo() -> None:
    ua = (
        UnitAssessment.objects.filter(assessment__slug="esa-2566", unit__code="samutsakhon-pesa")
        .select_related("unit", "assessment__framework")
        .first()
    )
    coordinator = User.objects.filter(username="samutsakhon").first()
    admin = User.objects.filter(username="admin").first()
    if ua is None or coordinator is None:
        return
    framework = ua.assessment.framework
    if not framework.measure_catalogue.exists():
        for answers, area, title, steps in CATALOGUE:
            do_add_catalogue_entry(framework, actor=admin, answers=answers, area=area, title=title, steps=steps)
    plan = plan_of(ua)
    if plan is not None and plan.measures.exists():
        return
    _samutsakhon(ua, framework, coordinator)


def _samutsakhon(ua: UnitAssessment, framework: Framework, coordinator: User) -> None:
    site = (ua.unit.website or "https://example.go.th/").rstrip("/")
    do_set_plan(ua, actor=coordinator, starts_on=dt.date(2023, 10, 1), groups=GROUPS)
    entries = {e.answers: e for e in framework.measure_catalogue.all()}
    for answers, title, responsible in MEASURES:
        entry = entries[answers]
        data = MeasureInput(entry.area, entry.steps, responsible, title, (6, 12), answers)
        measure = do_add_measure(ua, data, actor=coordinator, from_entry=entry)
        do_record_follow_up(
            measure,
            6,
            FollowUpInput(
                Status.DONE if answers == "10" else Status.IN_PROGRESS,
                done="ดำเนินการตามวิธีการดำเนินงานข้อ 1 แล้ว อยู่ระหว่างดำเนินการข้ออื่นตามแผน",
                evidence=f"{site}/ita/2566/o43",
            ),
            actor=coordinator,
        )
    for title, steps, slug in ACTIONS:
        do_add_action(
            ua,
            ActionInput(title, steps, dt.date(2023, 10, 15), f"{site}/ita/2566/{slug}"),
            actor=coordinator,
        )
    do_write_summary(ua, 6, actor=coordinator, summary=SUMMARY, results=RESULTS)
    do_set_public(ua, actor=coordinator, public=True)
