"""Demo applications for the demo association: one funded (INS05, followed up against its data), one under
assessment (INS12) and one rejected, with the preparatory group's assessments and gender markers.
The budgets themselves come with the demo data (the store's ``budgets`` table). Safe to run again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jamkoll.web.accounts.models import Intervention, Organization

from .models import Application, Assessment, Goal

PROBLEM = ("I Jobbspåret är en av fyra deltagare kvinnor, fast kvinnorna är nästan hälften av de långtidsarbetslösa "
           "i målgruppen. Kvinnorna erbjuds praktik hälften så ofta som männen (17 mot 35 procent 2024) och går "
           "något mer sällan till arbete. Männen får fler arbetsgivarkontakter.")
FOLLOW_UP = ("Deltagarnas delinsatser och status efter avslut rapporteras varje kvartal per kön till Jämkoll; "
             "styrgruppen följer målen för kvinnor och män i årsuppföljningen.")
REACH = ("Budgeten fördelas efter personaltid och kostnad per deltagare; praktiksamordnarens tid ska nå kvinnor och "
         "män i proportion till målgruppen.")


def _goal(app: Application, **fields: Any) -> None:
    Goal.objects.get_or_create(application=app, indicator=fields.pop("indicator"),
                               parameter=fields.pop("parameter", ""), year=fields.pop("year"), defaults=fields)


def load(org: Organization, users: dict[str, Any]) -> list[Application]:
    """Create (or keep) the demo applications of ``org``; ``users``: username -> user (admin, analytiker, …)."""
    analyst = users.get("analytiker")
    reporter = users.get("rapportor")
    interventions = {i.intervention_id: i for i in Intervention.objects.filter(organization=org)}
    made = []

    funded, created = Application.objects.get_or_create(
        organization=org, title="Praktik på lika villkor i Jobbspåret", defaults=dict(
            applicant="Arbetsförmedlingen Mora och Mora kommun", intervention=interventions.get("INS05"), year=2025,
            problem_analysis=PROBLEM, followup_plan=FOLLOW_UP, budget_sek=450_000, budget_reach=REACH,
            created_by=analyst, status=Application.Status.FUNDED, submitted=dt.datetime(2024, 11, 4, tzinfo=dt.UTC),
            decided_on=dt.date(2024, 12, 12), decided_by="Styrelsen", decision_recorded_by=analyst,
            decision_note="Beviljas med krav på kvartalsvis könsuppdelad uppföljning."))
    if created:
        _goal(funded, indicator="component_share", parameter="praktik", unit="percent", year=2025,
              description="Lika stor andel kvinnor som män ska erbjudas praktik.",
              baseline_women=16.7, baseline_men=35.1, target_women=30.0, target_men=35.0)
        _goal(funded, indicator="outcome_share", parameter="arbete", unit="percent", year=2025,
              description="Fler kvinnor ska gå till arbete efter avslut.",
              baseline_women=37.1, baseline_men=37.9, target_women=40.0, target_men=40.0)
        _goal(funded, indicator="participant_share", unit="percent", year=2025,
              description="Fler kvinnor ska delta.",
              baseline_women=26.3, baseline_men=73.7, target_women=40.0, target_men=60.0)
        Assessment.objects.create(application=funded, assessed_by=analyst, gender_marker=2, problem_by_sex=True,
                                  goals_measurable=True, followup_by_sex=True, budget_by_sex=True, target_group=True,
                                  assessed_at=dt.datetime(2024, 11, 28, tzinfo=dt.UTC),
                                  comment="Tydlig problemanalys per kön; målen går att följa i Jämkoll.")
    made.append(funded)

    pending, created = Application.objects.get_or_create(
        organization=org, title="Hälsa i fokus – fortsättning 2026", defaults=dict(
            applicant="Region Dalarna", intervention=interventions.get("INS12"), year=2026,
            problem_analysis="Kvinnor med sjukersättning är fler i målgruppen men män avbryter oftare; männen "
                             "behöver andra former av hälsofrämjande stöd än kvinnorna.",
            followup_plan="Hälsofrämjande delinsatser och avbrott följs upp per kön varje halvår.",
            budget_sek=300_000, budget_reach="Personaltiden fördelas efter behov; uppföljningen visar om kvinnor "
                                             "och män får lika mycket tid.",
            created_by=reporter, status=Application.Status.ASSESSED,
            submitted=dt.datetime(2025, 10, 1, tzinfo=dt.UTC)))
    if created:
        _goal(pending, indicator="component_share", parameter="hälsofrämjande", unit="percent", year=2026,
              baseline_women=60.0, baseline_men=45.0, target_women=65.0, target_men=60.0)
        Assessment.objects.create(application=pending, assessed_by=analyst, gender_marker=1, problem_by_sex=True,
                                  goals_measurable=True, followup_by_sex=True, budget_by_sex=False,
                                  target_group=True, comment="Budgeten behöver visa tiden per kön.")
    made.append(pending)

    rejected, created = Application.objects.get_or_create(
        organization=org, title="Friskvård för alla", defaults=dict(
            applicant="Orsa kommun", year=2025,
            problem_analysis="Ansökan beskriver kvinnor och män som en grupp; män och kvinnor nämns inte var för sig.",
            followup_plan="Antal deltagare per kön rapporteras en gång per år.",
            budget_sek=200_000, budget_reach="Budgeten når kvinnor och män lika, enligt sökande.",
            created_by=analyst, status=Application.Status.REJECTED, submitted=dt.datetime(2024, 9, 2, tzinfo=dt.UTC),
            decided_on=dt.date(2024, 10, 10), decided_by="Styrelsen", decision_recorded_by=analyst,
            decision_note="Avslås: ingen problemanalys per kön och inga mätbara mål för kvinnor och män."))
    if created:
        _goal(rejected, indicator="participants", unit="count", year=2025,
              baseline_women=0, baseline_men=0, target_women=20, target_men=20)
        Assessment.objects.create(application=rejected, assessed_by=analyst, gender_marker=0,
                                  comment="Jämställdhetsperspektivet saknas i problemanalysen.")
    made.append(rejected)
    return made
