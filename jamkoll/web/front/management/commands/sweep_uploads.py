"""``python -m jamkoll.web sweep_uploads``: delete expired and orphaned staged upload files (as cron would)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jamkoll.web.front.uploads import sweep_staging


class Command(BaseCommand):
    help = ("Tar bort uppladdade filer som väntat för länge på bekräftelse och filer som ingen uppladdning "
            "äger (efter ett avbrott). `jamkoll serve` gör det varje timme.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sweep_staging()} uppladdningar städade.")
