"""``python -m jamkoll.web load_demo``: the demo association, a second organisation and one user per role."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamkoll.web.accounts.models import Intervention, Membership, Organization, Role
from jamkoll.web.front.models import Submission
from jamkoll.web.front.uploads import confirm_submission, stage_upload
from jamkoll.web.lib.stores import store_for, sync_interventions

DEMO_NAME = "Samordningsförbundet Siljan-Västerdal (demo)"
DEMO_SLUG = "siljan-vasterdal-demo"
OTHER_NAME = "Exempelkommunen (demo)"
OTHER_SLUG = "exempelkommunen-demo"
DEFAULT_PASSWORD = "jamkoll-demo-2026"
# username, role, description
USERS = [
    ("admin", Role.ADMIN, "administratör i demoförbundet (inte Django-admin)"),
    ("analytiker", Role.ANALYST, "analytiker"),
    ("rapportor", Role.REPORTER, "rapportör för INS01 och INS02"),
    ("styrgrupp", Role.VIEWER, "läsare (styrgruppen)"),
]
OTHER_USER = "kommun"
REPORTER_INTERVENTIONS = ("INS01", "INS02")


class Command(BaseCommand):
    help = ("Skapar demoförbundet med påhittade data, en andra organisation och en användare per roll. "
            "Kan köras flera gånger.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Lösenord för alla demoanvändare.")
        parser.add_argument("--reimport", action="store_true", help="Läs in demodata igen även om de finns.")
        parser.add_argument("--findings-years", type=int, default=2,
                            help="Uppdatera fyndregistret för så många av de senaste åren (0: inget).")
        parser.add_argument("--superuser", metavar="NAMN",
                            help="Skapa också en superanvändare med det namnet för /admin/ (ser alla organisationer; "
                                 "medlem i ingen). Samma lösenord som demoanvändarna.")

    def handle(self, *args: Any, **options: Any) -> None:
        password: str = options["password"]
        demo, _ = Organization.objects.get_or_create(
            slug=DEMO_SLUG, defaults={"name": DEMO_NAME, "kind": Organization.Kind.ASSOCIATION})
        other, _ = Organization.objects.get_or_create(
            slug=OTHER_SLUG, defaults={"name": OTHER_NAME, "kind": Organization.Kind.MUNICIPALITY})
        demo.partners.add(other)

        User = get_user_model()
        users = {}
        for username, role, _description in USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            # Every demo user, the admin too, is a member with a role and sees only its organisation; /admin/
            # (every organisation) is for a separate superuser made only on request (--superuser).
            user.is_staff = user.is_superuser = False
            user.save()
            Membership.objects.update_or_create(user=user, organization=demo, defaults={"role": role})
            users[username] = user
        kommun, _ = User.objects.get_or_create(username=OTHER_USER)
        kommun.set_password(password)
        kommun.is_staff = kommun.is_superuser = False
        kommun.save()
        superuser = options.get("superuser")
        if superuser:
            if superuser in {name for name, _role, _d in USERS} | {OTHER_USER}:
                raise CommandError(f"{superuser} är en demoanvändare; välj ett annat namn för superanvändaren.")
            root, _ = User.objects.get_or_create(username=superuser)
            root.set_password(password)
            root.is_staff = root.is_superuser = True
            root.save()
        Membership.objects.update_or_create(user=kommun, organization=other, defaults={"role": Role.ADMIN})

        if options["reimport"] or not store_for(demo).exists():
            self._import(demo, users["admin"])
        sync_interventions(demo)
        reporter = Membership.objects.get(user=users["rapportor"], organization=demo)
        reporter.interventions.set(Intervention.objects.filter(organization=demo,
                                                               intervention_id__in=REPORTER_INTERVENTIONS))

        from jamkoll.web.funding.demo import load as load_funding

        self.stdout.write(f"Demoansökningar: {len(load_funding(demo, users))}")

        years = options["findings_years"]
        if years > 0:
            from jamkoll.web.front.analysis import available_years
            from jamkoll.web.front.register import update_findings

            for year in sorted(available_years(demo)[:years]):
                self.stdout.write(f"Uppdaterar fyndregistret för {year} (analysen tar en stund) …")
                result = update_findings(demo, year, users["analytiker"])
                self.stdout.write(f"  {result.flagged} möjliga omotiverade skillnader, {len(result.created)} nya fynd, "
                                  f"{len(result.recurring)} återkommande.")

        from jamkoll.web.plans.demo import load_plans_demo

        load_plans_demo(demo, users, self.stdout)

        from jamkoll.web.portal.demo import load_portal_demo

        load_portal_demo(self.stdout, password=password)

        self.stdout.write(self.style.SUCCESS(f"Demoorganisationen: {demo.name} (/o/{demo.slug}/)"))
        self.stdout.write(f"Andra organisationen: {other.name} (/o/{other.slug}/)")
        self.stdout.write(f"Användare (lösenord för alla: {password}):")
        for username, _role, description in USERS:
            self.stdout.write(f"  {username:<11} {description}")
        self.stdout.write(f"  {OTHER_USER:<11} administratör i {other.name}")
        self.stdout.write("  region      administratör i Region Dalarna (demo): hanterar portalen")
        if superuser:
            self.stdout.write(f"  {superuser:<11} superanvändare för /admin/ (alla organisationer)")

    def _import(self, org: Organization, user: Any) -> None:
        from jamkoll.demo import write_demo

        with tempfile.TemporaryDirectory(prefix="jamkoll-demo-") as tmp:
            paths = write_demo(Path(tmp))
            workbook = Path(paths["xlsx"])
            with workbook.open("rb") as fh:
                submission = stage_upload(org, user, [File(fh, name=workbook.name)],
                                          note="Demodata (påhittade)")
            if submission.status == Submission.Status.PENDING:
                submission = confirm_submission(submission, user)
            if submission.status != Submission.Status.ACCEPTED:
                problems = "; ".join(p["reason"] for p in submission.problems[:5])
                raise CommandError(f"Demodata kunde inte läsas in: {problems}")
        self.stdout.write(f"Demodata inlästa: {', '.join(submission.interventions)}")
