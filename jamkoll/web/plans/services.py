"""What the pages and the API share: revisions (snapshot, adoption, comparison), the yearly revision
reminder, checklist answers and the library's file storage. Every change is written to the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamkoll.reports.governance import NATIONAL_GOALS
from jamkoll.web.accounts.models import Organization
from jamkoll.web.lib.audit import audit

from .models import (
    Action,
    ActionPlan,
    BoardMeeting,
    ChecklistAnswer,
    ChecklistResponse,
    LibraryItem,
    PlanRevision,
)

# Audit log actions (AuditEvent.action) of this app.
PLAN_CHANGED = "plan_changed"
PLAN_REVISED = "plan_revised"
MEETING_CHANGED = "board_meeting_changed"
CHECKLIST_CHANGED = "checklist_changed"
ACTIVITY_CHANGED = "activity_changed"
LIBRARY_CHANGED = "library_changed"
LIBRARY_DOWNLOADED = "library_downloaded"

# The yearly revision is due at the year's last board meeting: remind this many days ahead.
REMIND_DAYS_BEFORE = 60
# Without any board meeting registered for the year, remind from this month on.
REMIND_MONTH_WITHOUT_MEETINGS = 9


def record(request: HttpRequest | None, action: str, org: Organization, obj: Any, change: str,
           user: Any = None, **details: Any) -> None:
    """Audit one change (``change``: created, changed, deleted, answered, …) of ``obj``."""
    audit(request, action, user=user, organization=org, obj=obj if obj is not None and obj.pk else None,
          details={"change": change, "object": str(obj)[:200], **details})


# -- revisions ------------------------------------------------------------------------------------


def plan_snapshot(plan: ActionPlan) -> dict[str, Any]:
    """The plan as adopted: its text, goals and actions, keyed by their ids so revisions can be compared."""
    goals = list(plan.goals.all())
    actions = list(plan.actions.prefetch_related("findings"))
    return {
        "title": plan.title,
        "description": plan.description,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "organizations": sorted(plan.organizations.values_list("name", flat=True)),
        "goals": [{"id": g.pk, "title": g.title, "description": g.description, "national_goal": g.national_goal,
                   "cemr_articles": list(g.cemr_articles)} for g in goals],
        "actions": [{"id": a.pk, "title": a.title, "goal": a.goal_id, "owner": a.owner,
                     "due": a.due.isoformat() if a.due else None, "status": a.status, "evidence": a.evidence,
                     "findings": sorted(c.finding_id for c in a.findings.all())} for a in actions],
    }


@transaction.atomic
def adopt_revision(plan: ActionPlan, meeting: BoardMeeting, user: Any, note: str = "",
                   request: HttpRequest | None = None) -> PlanRevision:
    """Record that ``meeting`` adopted the plan as it is now: the next revision number, an immutable snapshot."""
    # Lock the plan row so two adoptions at once cannot take the same number.
    ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    number = (plan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = PlanRevision.objects.create(plan=plan, number=number, meeting=meeting, adopted_on=meeting.date,
                                           note=note, snapshot=plan_snapshot(plan), adopted_by=user)
    record(request, PLAN_REVISED, meeting.organization, revision, "adopted", user=user, plan=plan.pk,
           revision=number, meeting=meeting.date.isoformat())
    return revision


GOAL_FIELDS = {"title": gettext_lazy("mål"), "description": gettext_lazy("beskrivning"),
               "national_goal": gettext_lazy("delmål"), "cemr_articles": gettext_lazy("CEMR-artiklar")}
ACTION_FIELDS = {"title": gettext_lazy("åtgärd"), "goal": gettext_lazy("mål"), "owner": gettext_lazy("ansvarig"),
                 "due": gettext_lazy("klart senast"), "status": gettext_lazy("status"),
                 "evidence": gettext_lazy("underlag"), "findings": gettext_lazy("fynd")}
PLAN_FIELDS = {"title": gettext_lazy("namn"), "description": gettext_lazy("beskrivning"),
               "start_year": gettext_lazy("startår"), "end_year": gettext_lazy("slutår"),
               "organizations": gettext_lazy("organisationer")}


@dataclass
class Change:
    """One goal or action that differs between two revisions: what it was and what it became."""

    title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (label, before, after)


@dataclass
class RevisionDiff:
    plan: list[tuple[str, Any, Any]]
    goals_added: list[Change]
    goals_removed: list[Change]
    goals_changed: list[Change]
    actions_added: list[Change]
    actions_removed: list[Change]
    actions_changed: list[Change]

    @property
    def empty(self) -> bool:
        return not any((self.plan, self.goals_added, self.goals_removed, self.goals_changed, self.actions_added,
                        self.actions_removed, self.actions_changed))

    def sentences(self) -> list[str]:
        """The changes as plain sentences (for the report chapter)."""
        out = [_("Planens %(field)s ändrades.") % {"field": label} for label, _b, _a in self.plan]
        out += [_("Nytt mål: %(title)s.") % {"title": c.title} for c in self.goals_added]
        out += [_("Mål borttaget: %(title)s.") % {"title": c.title} for c in self.goals_removed]
        out += [_("Mål ändrat: %(title)s (%(fields)s).") % {"title": c.title,
                                                             "fields": ", ".join(f[0] for f in c.fields)}
                for c in self.goals_changed]
        out += [_("Ny åtgärd: %(title)s.") % {"title": c.title} for c in self.actions_added]
        out += [_("Åtgärd borttagen: %(title)s.") % {"title": c.title} for c in self.actions_removed]
        out += [_("Åtgärd ändrad: %(title)s (%(fields)s).") % {"title": c.title,
                                                                "fields": ", ".join(f[0] for f in c.fields)}
                for c in self.actions_changed]
        return out


def _readable(key: str, value: Any, goal_titles: dict[int, str]) -> Any:
    if key == "national_goal":
        return NATIONAL_GOALS.get(value, (value, value))[0]
    if key == "status":
        return dict(Action.Status.choices).get(value, value)
    if key == "goal":
        return goal_titles.get(value, "–") if value is not None else "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return value if value not in (None, "") else "–"


def _compare(before: list[dict[str, Any]], after: list[dict[str, Any]], labels: dict[str, str],
             goal_titles: dict[int, str]) -> tuple[list[Change], list[Change], list[Change]]:
    old = {item["id"]: item for item in before}
    new = {item["id"]: item for item in after}
    added = [Change(new[k]["title"], None, new[k]) for k in new if k not in old]
    removed = [Change(old[k]["title"], old[k], None) for k in old if k not in new]
    changed = []
    for key in new:
        if key not in old:
            continue
        fields = [(str(label), _readable(name, old[key].get(name), goal_titles),
                   _readable(name, new[key].get(name), goal_titles))
                  for name, label in labels.items() if old[key].get(name) != new[key].get(name)]
        if fields:
            changed.append(Change(new[key]["title"], old[key], new[key], fields))
    return added, removed, changed


def compare_snapshots(before: dict[str, Any] | None, after: dict[str, Any]) -> RevisionDiff:
    """What changed from one adopted revision to the next (``before`` None: everything is new)."""
    before = before or {"goals": [], "actions": []}
    goal_titles = {g["id"]: g["title"] for g in before.get("goals", []) + after.get("goals", [])}
    plan = [(str(label), _readable(name, before.get(name), goal_titles), _readable(name, after.get(name), goal_titles))
            for name, label in PLAN_FIELDS.items() if name in before and before.get(name) != after.get(name)]
    goals = _compare(before.get("goals", []), after.get("goals", []), GOAL_FIELDS, goal_titles)
    actions = _compare(before.get("actions", []), after.get("actions", []), ACTION_FIELDS, goal_titles)
    return RevisionDiff(plan, *goals, *actions)


def revision_diff(revision: PlanRevision) -> RevisionDiff:
    previous = revision.previous()
    return compare_snapshots(previous.snapshot if previous else None, revision.snapshot)


# -- the yearly revision reminder -----------------------------------------------------------------


@dataclass
class RevisionReminder:
    """The yearly revision of the organisation's plans is due (``kind``: soon, overdue or no_meeting)."""

    kind: str
    year: int
    meeting: BoardMeeting | None = None

    @property
    def days_left(self) -> int | None:
        return (self.meeting.date - timezone.localdate()).days if self.meeting else None


def last_meeting_of_year(org: Organization, year: int) -> BoardMeeting | None:
    return BoardMeeting.objects.filter(organization=org, date__year=year).order_by("-date", "-id").first()


def revision_reminder(org: Organization, today: dt.date | None = None) -> RevisionReminder | None:
    """A reminder that the yearly revision of the organisation's plans is due at the year's last board meeting.

    It shows from :data:`REMIND_DAYS_BEFORE` days before that meeting (and after it) until a revision is
    adopted in that window; with no board meeting registered for the year, from September until any
    revision is adopted in the year. Organisations without a plan get no reminder.
    """
    today = today or timezone.localdate()
    plans = ActionPlan.objects.filter(organizations=org)
    if not plans.exists():
        return None
    revisions = PlanRevision.objects.filter(plan__in=plans, adopted_on__year=today.year)
    meeting = last_meeting_of_year(org, today.year)
    if meeting is None:
        if today.month >= REMIND_MONTH_WITHOUT_MEETINGS and not revisions.exists():
            return RevisionReminder("no_meeting", today.year)
        return None
    window_opens = meeting.date - dt.timedelta(days=REMIND_DAYS_BEFORE)
    if today < window_opens or revisions.filter(adopted_on__gte=window_opens).exists():
        return None
    return RevisionReminder("overdue" if meeting.date < today else "soon", today.year, meeting)


# -- checklists -----------------------------------------------------------------------------------


@transaction.atomic
def save_answers(response: ChecklistResponse, answers: dict[int, tuple[str, str]], user: Any,
                 request: HttpRequest | None = None) -> int:
    """Store ``{question id: (answer, comment)}`` for questions of the response's checklist; returns how many
    answers changed. Unknown question ids are ignored."""
    questions = set(response.template.questions.values_list("pk", flat=True))
    existing = {a.question_id: a for a in ChecklistAnswer.objects.filter(response=response)}
    changed = 0
    for question_id, (answer, comment) in answers.items():
        if question_id not in questions:
            continue
        current = existing.get(question_id)
        if current is None:
            if answer or comment:
                ChecklistAnswer.objects.create(response=response, question_id=question_id, answer=answer,
                                               comment=comment)
                changed += 1
        elif (current.answer, current.comment) != (answer, comment):
            current.answer, current.comment = answer, comment
            current.save(update_fields=["answer", "comment"])
            changed += 1
    if changed:
        response.save(update_fields=["updated"])
        record(request, CHECKLIST_CHANGED, response.organization, response, "answered", user=user, answers=changed)
    return changed


# -- the library's files --------------------------------------------------------------------------

LIBRARY_EXTENSIONS = frozenset({".pdf", ".docx", ".doc", ".xlsx", ".xls", ".pptx", ".odt", ".ods", ".odp", ".txt",
                                ".csv", ".md", ".rtf"})
LIBRARY_MAX_BYTES = 25 * 1024 * 1024


def library_root(org: Organization) -> Path:
    """``<data dir>/library/<org slug>/``: the organisation's uploaded documents, by random names."""
    return Path(settings.JAMKOLL_DATA_DIR) / "library" / org.slug


def library_path(item: LibraryItem) -> Path:
    return library_root(item.organization) / item.stored_name


def store_library_file(item: LibraryItem, upload: Any) -> None:
    """Write an uploaded file under the data folder (a random name; never the user's) and note its size and sum."""
    suffix = Path(upload.name).suffix.lower()
    root = library_root(item.organization)
    root.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    size = 0
    with (root / stored).open("xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    item.stored_name, item.file_name, item.size, item.sha256 = stored, Path(upload.name).name[:255], size, \
        digest.hexdigest()


def delete_library_item(item: LibraryItem, user: Any, request: HttpRequest | None = None) -> None:
    if item.stored_name:
        library_path(item).unlink(missing_ok=True)
    record(request, LIBRARY_CHANGED, item.organization, item, "deleted", user=user)
    item.delete()
