"""The findings register: cases from the analysis, and how they are justified, acted on and closed.

Used by the register pages and the API alike; every change writes the case's history
(:class:`FindingEvent`) and the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamkoll.reports.explain import explain
from jamkoll.web.accounts.models import Intervention, Organization
from jamkoll.web.lib import audit

from .models import FindingCase, FindingComment, FindingEvent

Status = FindingCase.Status

# Which status (FindingCase.Status values) a case may move to from which.
TRANSITIONS: dict[str, set[str]] = {
    "open": {"justified", "action_planned"},
    "action_planned": {"action_planned", "done", "justified", "open"},
    "justified": {"open"},
    "done": {"open"},
}


@dataclass
class CaseError(Exception):
    """A change that cannot be made; ``errors`` maps a field name (or ``""``) to a Swedish message."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


@dataclass
class UpdateResult:
    year: int
    flagged: int
    created: list[FindingCase]
    recurring: list[FindingCase]

    @property
    def existing(self) -> int:
        return self.flagged - len(self.created)


def update_findings(org: Organization, year: int, user: Any, request: HttpRequest | None = None) -> UpdateResult:
    """Run the analysis for ``year`` and open a case for every unjustified difference (idempotent)."""
    from jamkoll.web.front.analysis import analysis_for

    analysis = analysis_for(org, year)
    flagged = analysis.flagged() if analysis is not None else []
    names = (analysis.meta.get("interventions") or {}) if analysis is not None else {}
    created: list[FindingCase] = []
    recurring: list[FindingCase] = []
    with transaction.atomic():
        for finding in flagged:
            intervention = None
            if finding.intervention:
                intervention = Intervention.objects.get_or_create(
                    organization=org, intervention_id=finding.intervention)[0]
            case, new = FindingCase.objects.get_or_create(
                organization=org, finding_id=finding.id, year=year,
                defaults={
                    "intervention": intervention, "dimension": finding.dimension,
                    "category": finding.category[:200],
                    # A Swedish snapshot for search and the admin; pages render the finding in the
                    # reader's language from ``finding`` (FindingCase.description).
                    "explanation": explain(finding, "sv", names),
                    "finding": finding.to_dict(),
                },
            )
            if not new:
                continue
            created.append(case)
            FindingEvent.objects.create(case=case, user=user, kind=FindingEvent.Kind.CREATED,
                                        to_status=case.status, details={"year": year})
            previous = (FindingCase.objects.filter(organization=org, finding_id=finding.id, year__lt=year)
                        .order_by("-year").first())
            if previous is not None:
                case.previous = previous
                case.save(update_fields=["previous"])
                recurring.append(case)
                FindingEvent.objects.create(
                    case=case, user=user, kind=FindingEvent.Kind.RECURRED,
                    details={"previous_year": previous.year, "previous_status": previous.status,
                             "previous_id": previous.pk})
        audit.audit(request, audit.FINDINGS_UPDATED, user=user, organization=org,
                    details={"year": year, "flagged": len(flagged), "created": len(created),
                             "recurring": len(recurring)})
    return UpdateResult(year, len(flagged), created, recurring)


def change_status(case: FindingCase, user: Any, status: str, *, justification: str = "", action_what: str = "",
                  action_who: str = "", action_due: dt.date | None = None, note: str = "",
                  request: HttpRequest | None = None) -> FindingCase:
    """Move a case to ``status``, with what that status requires.

    * ``justified``: a justification (why the difference is legitimate);
    * ``action_planned``: what will be done, who is responsible, and by when;
    * ``done``: only a case with a planned action;
    * ``open``: reopen a justified or done case (a note on why is kept in the history).
    """
    if status not in Status.values:
        raise CaseError({"status": _("Okänd status.")})
    if status not in TRANSITIONS[case.status]:
        raise CaseError({"status": _("Ett fynd med status ”%(from)s” kan inte få status ”%(to)s”.") % {
            "from": Status(case.status).label, "to": Status(status).label}})
    justification, action_what, action_who, note = (
        justification.strip(), action_what.strip(), action_who.strip(), note.strip())
    errors: dict[str, str] = {}
    if status == "justified" and not justification:
        errors["justification"] = _("Skriv varför skillnaden är motiverad.")
    if status == "action_planned":
        if not action_what:
            errors["action_what"] = _("Beskriv åtgärden.")
        if not action_who:
            errors["action_who"] = _("Ange vem som ansvarar för åtgärden.")
        if action_due is None:
            errors["action_due"] = _("Ange när åtgärden ska vara klar.")
    if errors:
        raise CaseError(errors)
    before = case.status
    details: dict[str, Any] = {}
    if status == "justified":
        case.justification = justification
        details["justification"] = justification
    elif status == "action_planned":
        case.action_what, case.action_who, case.action_due = action_what, action_who, action_due
        details.update(action_what=action_what, action_who=action_who,
                       action_due=action_due.isoformat() if action_due else None)
    if note:
        details["note"] = note
    case.status = status
    with transaction.atomic():
        case.save()
        FindingEvent.objects.create(case=case, user=user, kind=FindingEvent.Kind.STATUS, from_status=before,
                                    to_status=status, details=details)
        audit.audit(request, audit.CASE_CHANGED, user=user, organization=case.organization, obj=case,
                    details={"from": before, "to": status, **details})
    return case


def add_comment(case: FindingCase, user: Any, text: str, request: HttpRequest | None = None) -> FindingComment:
    text = text.strip()
    if not text:
        raise CaseError({"text": _("Skriv en kommentar.")})
    with transaction.atomic():
        comment = FindingComment.objects.create(case=case, author=user, text=text)
        FindingEvent.objects.create(case=case, user=user, kind=FindingEvent.Kind.COMMENT,
                                    details={"comment_id": comment.pk})
        audit.audit(request, audit.CASE_COMMENTED, user=user, organization=case.organization, obj=case,
                    details={"comment_id": comment.pk})
    return comment


def link_plan_actions(cases: Any, action: Any, user: Any, request: HttpRequest | None = None) -> list[FindingCase]:
    """An action plan's ``action`` now answers ``cases``: every open one becomes "Åtgärd planerad", with the
    action named in its history and the audit log. Cases already decided keep their status. Returns the
    cases whose status changed."""
    changed = []
    with transaction.atomic():
        for case in cases:
            if case.status != Status.OPEN:
                continue
            case.status = Status.ACTION_PLANNED
            case.save(update_fields=["status", "updated"])
            details = {"plan_action": action.title, "plan_action_id": action.pk, "plan_id": action.plan_id}
            FindingEvent.objects.create(case=case, user=user, kind=FindingEvent.Kind.STATUS,
                                        from_status=Status.OPEN, to_status=Status.ACTION_PLANNED, details=details)
            audit.audit(request, audit.CASE_CHANGED, user=user, organization=case.organization, obj=case,
                        details={"from": Status.OPEN, "to": Status.ACTION_PLANNED, **details})
            changed.append(case)
    return changed


# -- the register as a list: filters, search, download ---------------------------------------------


def filter_cases(cases: Any, *, status: str = "", year: int | None = None, intervention: str = "",
                 dimension: str = "", overdue_ids: set[int] | None = None, query: str = "") -> list[FindingCase]:
    """The cases that match every filter given; ``query`` searches the plain title (in the reader's language),
    the intervention's name and the finding's id, ignoring case. ``overdue_ids``: only these cases."""
    if status:
        cases = cases.filter(status=status)
    if year:
        cases = cases.filter(year=year)
    if intervention == WHOLE_ORGANIZATION:
        cases = cases.filter(intervention__isnull=True)
    elif intervention:
        cases = cases.filter(intervention__intervention_id=intervention)
    if dimension:
        cases = cases.filter(dimension=dimension)
    if overdue_ids is not None:
        cases = cases.filter(pk__in=overdue_ids)
    found = list(cases.select_related("intervention", "previous").prefetch_related("plan_actions"))
    words = query.casefold().split()
    if words:
        found = [c for c in found
                 if all(w in f"{c.title} {c.intervention_name} {c.finding_id}".casefold() for w in words)]
    return found


#: The intervention filter's value for findings about the whole organisation.
WHOLE_ORGANIZATION = "-"


def export_rows(cases: list[FindingCase], lang: str) -> list[list[Any]]:
    """The register's download rows: each finding checked again by the publication gate
    (:func:`jamkoll.analysis.publication.republished`), laid out by :mod:`jamkoll.reports.register`."""
    from jamkoll.analysis.disclosure import DisclosurePolicy
    from jamkoll.analysis.publication import republished
    from jamkoll.analysis.results import Finding
    from jamkoll.reports.register import RegisterEntry, register_rows

    threshold = DisclosurePolicy().threshold
    entries, names = [], {}
    for case in cases:
        if not case.finding:
            continue
        if case.intervention is not None and case.intervention.name:
            names[case.intervention.intervention_id] = case.intervention.name
        actions = [case.action_what] if case.action_what else []
        actions += [f"{a.title} ({a.get_status_display()})" for a in case.plan_actions.all()]
        entries.append(RegisterEntry(
            finding=republished(Finding.from_dict(case.finding), threshold), year=case.year,
            status=str(case.get_status_display()), intervention=case.intervention_name, due=case.deadline,
            actions="; ".join(actions)))
    return register_rows(entries, lang, names)


def attach_cases(org: Organization, year: int | None, flagged: list[dict[str, Any]], *,
                 scoped: bool = False) -> list[dict[str, Any]]:
    """Give each flagged finding of a dashboard (dicts with ``id``) its case in the register for ``year``
    (``case``: None when the register has none yet, e.g. before the findings are updated).

    ``scoped``: the analysis covered one intervention only, so its findings "across the organisation"
    are not the register's (which compare the whole organisation) and get no case."""
    cases = {}
    if year is not None and flagged:
        cases = {c.finding_id: c for c in FindingCase.objects.filter(
            organization=org, year=year, finding_id__in=[f["id"] for f in flagged]).prefetch_related(
                "plan_actions")}
        if scoped:
            cases = {key: case for key, case in cases.items() if case.intervention_id is not None}
    for item in flagged:
        item["case"] = cases.get(item["id"])
    return flagged
