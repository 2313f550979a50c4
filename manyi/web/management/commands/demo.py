"""``manyi demo``: load the demo dealer network (once; a second run changes nothing)."""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from manyi.demo.network import DEMO_PASSWORD, DemoSize, build, demo_loaded

LOGINS = [
    ("admin", "Administrator / 系统管理员"),
    ("hq", "HQ analyst / 总部质量经理"),
    ("region1", "Region manager, North / 华北区经理"),
    ("store1", "Store manager, first store / 店总"),
    ("advisor1", "Service advisor / 服务顾问"),
    ("handler1", "Case handler / 客服专员"),
    ("agent", "Phone agent / 呼叫中心"),
]


class Command(BaseCommand):
    help = "Load the demo network: HQ, regions, stores, staff, customers, service events."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--stores", type=int, default=24)
        parser.add_argument("--customers", type=int, default=20_000)
        parser.add_argument("--events", type=int, default=None, help="Default: four per customer.")
        parser.add_argument("--months", type=int, default=18)
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            default=None,
            help="Last month of history (YYYY-MM-DD); default today.",
        )

    def handle(
        self,
        *args: Any,
        seed: int,
        stores: int,
        customers: int,
        events: int | None,
        months: int,
        until: date | None,
        **options: Any,
    ) -> None:
        if stores < 1 or customers < 1 or months < 1 or stores > 5000:
            raise CommandError("--stores (1-5000), --customers and --months must be positive.")
        if demo_loaded():
            self.stdout.write("The demo network is already loaded; nothing to do.")
        else:
            size = DemoSize(
                seed=seed,
                stores=stores,
                customers=customers,
                events=events if events is not None else customers * 4,
                months=months,
                until=until or date.today(),
            )
            started = time.monotonic()
            build(size, log=self.stdout.write)
            if connection.vendor == "postgresql":
                # A bulk load leaves the planner's statistics empty until autovacuum
                # gets to them; gather them now, or the first pages plan for empty tables.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.stdout.write(f"Demo network loaded in {time.monotonic() - started:.0f} s.")
        self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD}):")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
