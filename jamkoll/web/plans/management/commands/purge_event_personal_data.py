"""``python -m jamkoll.web purge_event_personal_data``: delete registrants' personal details after the
retention time (GDPR art. 5(1)(e)), keeping only aggregated counts. Meant for a daily cron job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jamkoll.web.plans.retention import purge_event_personal_data


class Command(BaseCommand):
    help = ("Raderar deltagarnas personuppgifter i evenemang vars lagringstid har gått ut. Kvar blir bara antal "
            "per kön, roll och organisation.")

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_event_personal_data()
        self.stdout.write(f"{len(purged)} evenemang rensade, {sum(purged.values())} anmälningar raderade.")
