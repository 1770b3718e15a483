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
