from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ita.demo.load import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the database, load the demo data (idempotent) and serve it: `ita demo [--no-serve]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("ตั้งค่าฐานข้อมูล (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo(progress=lambda step: self.stdout.write(f"  · {step}"))
        self.stdout.write(self.style.SUCCESS("ข้อมูลตัวอย่างพร้อมแล้ว (demo data ready)"))
        self.stdout.write(f"\nเข้าสู่ระบบที่ http://{options['bind']}/accounts/login/ ด้วยรหัสผ่าน {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role} — {login.unit}")
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("serve", bind=options["bind"], workers=2)
