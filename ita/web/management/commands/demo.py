from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.demo.load import DEMO_PASSWORD, load_demo


def port_taken(bind: str) -> bool:
    """Whether something already listens on HOST:PORT (gunicorn would fail five times over)."""
    host, _sep, port = bind.rpartition(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host or "127.0.0.1", int(port)))
        except OSError:
            return True
        except ValueError:
            raise CommandError(f"--bind must be HOST:PORT, got {bind!r}") from None
    return False


class Command(BaseCommand):
    help = (
        "Create the database, load the demo data (idempotent) and serve it with a worker for the "
        "link checks: `ita demo [--no-serve] [--reset] [--bind HOST:PORT]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--reset", action="store_true", help="empty the database first, then load the demo afresh")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"]
        if not options["no_serve"] and port_taken(bind):
            raise CommandError(
                f"{bind} is already in use: stop what runs there, or choose another port (make demo PORT=8001)"
            )
        self.stdout.write("ตั้งค่าฐานข้อมูล (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            self.stdout.write("ล้างข้อมูลเดิม (reset)…")
            call_command("flush", interactive=False, verbosity=0)
        logins = load_demo(progress=lambda step: self.stdout.write(f"  · {step}"))
        self.stdout.write(self.style.SUCCESS("ข้อมูลตัวอย่างพร้อมแล้ว (demo data ready)"))
        self.stdout.write(f"\nเข้าสู่ระบบที่ http://{bind}/accounts/login/ ด้วยรหัสผ่าน {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role} — {login.unit}")
        self.stdout.write("")
        if not options["no_serve"]:
            # The worker checks OIT links from the jobs table; it shares the terminal, so Ctrl+C stops both.
            subprocess.Popen([sys.executable, "-m", "ita", "worker"])
            call_command("serve", bind=bind, workers=2)
