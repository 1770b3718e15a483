"""``python -m jamkoll.web send_notifications`` (or ``jamkoll notify``): the day's e-mail notifications.

Meant for cron or a systemd timer, once a day (docs/notifications.md). Idempotent: running it again the same
day sends nothing twice. Links point at ``JAMKOLL_BASE_URL`` (or ``--base-url``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jamkoll.web.notifications.send import send_notifications


class Command(BaseCommand):
    help = ("Skickar dagens e-postaviseringar: beslut som närmar sig, försenade åtgärder och påminnelsen om den "
            "årliga revisionen av handlingsplanen. Samma sak skickas inte två gånger samma dag.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="", help="Webbadressen i länkarna (standard JAMKOLL_BASE_URL).")
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None,
                            help="Dagen att skicka för, ÅÅÅÅ-MM-DD (standard i dag).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"]
        if isinstance(day, str):  # call_command(date="2026-11-20") does not go through the parser's type
            day = dt.date.fromisoformat(day)
        outcome = send_notifications(today=day, base=options["base_url"] or None)
        self.stdout.write(f"{outcome.total} e-brev med {outcome.items} saker skickade "
                          f"({', '.join(f'{k}: {v}' for k, v in outcome.mails.items())}).")
