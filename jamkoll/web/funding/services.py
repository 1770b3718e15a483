"""What the pages and the API share: state changes of applications (each audited) and the figures
computed from the organisation's analysis store (goal follow-up, budget by sex)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jamkoll.analysis.budget import BudgetDistribution, distribute_budget
from jamkoll.analysis.disclosure import DisclosurePolicy
from jamkoll.analysis.goals import GoalActual, goal_met, measure
from jamkoll.web.accounts.models import Intervention, Organization
from jamkoll.web.lib import audit, results
from jamkoll.web.lib.stores import store_for

from .models import Application, Assessment, Goal

log = logging.getLogger("jamkoll.web.funding")

APPLICATION_CREATED = "application_created"
APPLICATION_CHANGED = "application_changed"
APPLICATION_SUBMITTED = "application_submitted"
APPLICATION_ASSESSED = "application_assessed"
APPLICATION_DECIDED = "application_decided"


class ApplicationError(Exception):
    pass


# -- changes --------------------------------------------------------------------------------------


def save_application(app: Application, goals: Any, user: Any, request: HttpRequest | None = None) -> Application:
    """Save a (new or changed) draft and its goal formset in one transaction, audited."""
    created = app.pk is None
    with transaction.atomic():
        if created:
            app.created_by = user
        app.save()
        goals.instance = app
        goals.save()
        audit.audit(request, APPLICATION_CREATED if created else APPLICATION_CHANGED, user=user,
                    organization=app.organization, obj=app,
                    details={"title": app.title, "goals": app.goals.count()})
    return app


def submit(app: Application, user: Any, request: HttpRequest | None = None) -> Application:
    if app.status != Application.Status.DRAFT:
        raise ApplicationError("Ansökan är redan inskickad.")
    if not app.goals.exists():
        raise ApplicationError("Ansökan måste ha minst ett mätbart mål.")
    app.status = Application.Status.SUBMITTED
    app.submitted = timezone.now()
    app.save(update_fields=["status", "submitted", "updated"])
    audit.audit(request, APPLICATION_SUBMITTED, user=user, organization=app.organization, obj=app)
    return app


def assess(app: Application, assessment: Assessment, user: Any, request: HttpRequest | None = None) -> Assessment:
    if app.status not in (Application.Status.SUBMITTED, Application.Status.ASSESSED):
        raise ApplicationError("Bara inskickade ansökningar som inte är avgjorda kan bedömas.")
    with transaction.atomic():
        assessment.application = app
        assessment.assessed_by = user
        assessment.save()
        app.status = Application.Status.ASSESSED
        app.save(update_fields=["status", "updated"])
        audit.audit(request, APPLICATION_ASSESSED, user=user, organization=app.organization, obj=app,
                    details={"gender_marker": assessment.gender_marker, "fulfilled": assessment.fulfilled})
    return assessment


def decide(app: Application, user: Any, *, decision: str, decided_on: dt.date, decided_by: str,
           intervention: Intervention | None, note: str = "", request: HttpRequest | None = None) -> Application:
    if app.status not in (Application.Status.SUBMITTED, Application.Status.ASSESSED):
        raise ApplicationError("Bara inskickade ansökningar som inte är avgjorda kan beslutas.")
    if decision == Application.Status.FUNDED:
        if app.status != Application.Status.ASSESSED:
            raise ApplicationError("Beredningsgruppen måste bedöma ansökan innan den kan beviljas.")
        if intervention is None:
            raise ApplicationError("Ange vilken insats ansökan finansierar.")
    elif decision != Application.Status.REJECTED:
        raise ApplicationError("Beslutet ska vara funded eller rejected.")
    app.status = decision
    app.decided_on = decided_on
    app.decided_by = decided_by
    app.decision_note = note
    app.decision_recorded_by = user
    if intervention is not None:
        app.intervention = intervention
    app.save()
    audit.audit(request, APPLICATION_DECIDED, user=user, organization=app.organization, obj=app,
                details={"decision": decision, "decided_on": decided_on.isoformat(), "decided_by": decided_by,
                         "intervention": intervention.intervention_id if intervention else None})
    return app


# -- figures from the analysis store -------------------------------------------------------------


@dataclass
class GoalRow:
    """One goal planned against the data: the values the pages and the report show."""

    goal: Goal
    actual: GoalActual | None

    @property
    def actual_women(self) -> float | None:
        return self.actual.women if self.actual else None

    @property
    def actual_men(self) -> float | None:
        return self.actual.men if self.actual else None

    @property
    def actual_other(self) -> float | None:
        return self.actual.other if self.actual else None

    @property
    def withheld(self) -> list[str]:
        return self.actual.withheld if self.actual else []

    @property
    def met_women(self) -> bool | None:
        return goal_met(self.goal.baseline_women, self.goal.target_women, self.actual_women)

    @property
    def met_men(self) -> bool | None:
        return goal_met(self.goal.baseline_men, self.goal.target_men, self.actual_men)


def follow_up(app: Application) -> list[GoalRow]:
    """Every goal of a funded application measured in its intervention's data for the goal's year.

    Each measurement is kept per store version and (intervention, year, indicator)
    (:func:`jamkoll.web.lib.results.kept`): editing a goal asks for another key, an import changes them all.
    """
    goals = list(app.goals.all())
    if app.status != Application.Status.FUNDED or app.intervention is None:
        return [GoalRow(g, None) for g in goals]
    org = app.organization
    intervention_id = app.intervention.intervention_id
    try:
        version = results.store_key(org)
        rows = []
        for g in goals:
            if version is None:
                rows.append(GoalRow(g, None))
                continue
            spec = g.spec

            def compute(spec: Any = spec, year: int = g.year) -> GoalActual:
                # Counts go through the publication gate with the installation key, like every other surface.
                pinned = store_for(org).at_version()
                policy = DisclosurePolicy(method="cell_key", secret=pinned.disclosure_secret())
                con = pinned.ibis()
                try:
                    return measure(con, intervention_id, year, spec, policy)
                finally:
                    con.disconnect()

            setting = (intervention_id, g.year, spec.kind, spec.parameter)
            rows.append(GoalRow(g, results.kept(org, "goal", setting, compute, version=version)))
    except Exception:  # noqa: BLE001 - a broken store must not take the page down; logged
        log.exception("goal follow-up failed for application %s", app.pk)
        return [GoalRow(g, None) for g in goals]
    return rows


def budget_years(org: Organization) -> list[int]:
    """Years with a budget in the organisation's store, latest first (kept per store version)."""
    version = results.store_key(org)
    if version is None:
        return []

    def compute() -> list[int]:
        with store_for(org).at_version().connect(read_only=True) as con:
            rows = con.execute("SELECT DISTINCT year FROM budgets WHERE year IS NOT NULL ORDER BY year DESC").fetchall()
        return [int(r[0]) for r in rows]

    return list(results.kept(org, "budget_years", None, compute, version=version))


def budget_by_sex(org: Organization, year: int, interventions: list[str] | None = None) -> BudgetDistribution | None:
    """The year's budget distributed to women and men (see :mod:`jamkoll.analysis.budget`), amounts
    resting on fewer than five people withheld, or None. Kept per store version, year and interventions."""
    try:
        version = results.store_key(org)
        if version is None:
            return None

        def compute() -> BudgetDistribution:
            pinned = store_for(org).at_version()
            # Through the publication gate with the installation key, like every other surface: the
            # numbers of people behind each line are the gate's published counts.
            policy = DisclosurePolicy(method="cell_key", secret=pinned.disclosure_secret())
            con = pinned.ibis()
            try:
                # Always the publishable copy: the page, the API and the report all show it.
                return distribute_budget(con, year, interventions=interventions, policy=policy).protected(policy)
            finally:
                con.disconnect()

        setting = (year, tuple(interventions) if interventions is not None else None)
        return results.kept(org, "budget", setting, compute, version=version)
    except Exception:  # noqa: BLE001 - logged; the page shows a notice instead
        log.exception("budget by sex failed for %s %s", org.slug, year)
        return None
