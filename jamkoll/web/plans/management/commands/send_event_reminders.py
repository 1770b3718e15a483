"""``python -m jamkoll.web send_event_reminders``: reminders before events, evaluation links after them.

Meant for cron (e.g. every hour). Idempotent: each registrant gets one reminder and one evaluation link,
however often the command runs. Links point at ``JAMKOLL_BASE_URL`` (or ``--base-url``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jamkoll.web.plans.events import REMIND_DAYS_BEFORE, send_due_evaluations, send_reminders, site_url


class Command(BaseCommand):
    help = ("Skickar påminnelser till anmälda inför evenemang och länken till utvärderingen till deltagarna "
            "efteråt. Varje person får högst en av varje.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=REMIND_DAYS_BEFORE,
                            help="Påminn så här många dagar före evenemanget (standard 2).")
        parser.add_argument("--base-url", default="", help="Webbadressen i länkarna (standard JAMKOLL_BASE_URL).")

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["base_url"].rstrip("/") or site_url()
        reminded = send_reminders(base=base, days_before=options["days"])
        evaluations = send_due_evaluations(base=base)
        self.stdout.write(f"{reminded} påminnelser och {evaluations} utvärderingslänkar skickade.")
