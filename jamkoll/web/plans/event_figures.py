"""Participants by sex (and by role or organisation) as they may be shown: through the library's disclosure
control (:func:`jamkoll.analysis.disclosure.protect_counts`, threshold rule with secondary suppression),
under the publication gate's rule for a count (:func:`jamkoll.analysis.publication.count_publishable`) and
for a figure computed from people's answers (:func:`jamkoll.analysis.publication.derived_allowed`).

No count of 1–4 persons is shown, and no hidden count can be recomputed from the totals and the other
parts: when one part is hidden, another (or the total) is hidden with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from jamkoll.analysis.disclosure import DisclosurePolicy, ProtectedTable, protect_counts
from jamkoll.analysis.publication import count_publishable, derived_allowed

from .event_models import Event
from .events import SEX_COLUMNS, Figures

POLICY = DisclosurePolicy()
MARKER = POLICY.marker


@dataclass
class ShownRow:
    label: str
    cells: list[str]  # a count or the marker
    total: str
    is_total: bool = False


@dataclass
class ShownTable:
    """A protected table ready for a template: rows (the last is the total row) and whether anything is hidden."""

    rows: list[ShownRow]
    hidden: bool

    @property
    def empty(self) -> bool:
        return not self.rows


def _shown(table: ProtectedTable, labels: list[str], total_label: str) -> ShownTable:
    text = table.to_frame(MARKER)
    assert all(count_publishable(v, POLICY.threshold) for v in table.values.to_numpy().ravel() if pd.notna(v))
    rows = []
    for position, index in enumerate(text.index):
        row = [str(v) for v in text.loc[index].tolist()]
        is_total = index == table.total_row
        rows.append(ShownRow(total_label if is_total else labels[position], row[:-1], row[-1], is_total))
    return ShownTable(rows, bool(table.suppressed.to_numpy().any()))


def protect_by_sex(rows: list[tuple[str, dict[str, int]]], total_label: str) -> ShownTable:
    """Rows (e.g. events) × women, men, other or unknown, with row and column totals, protected."""
    if not rows:
        return ShownTable([], False)
    frame = pd.DataFrame([[int(counts.get(c, 0)) for c in SEX_COLUMNS] for _label, counts in rows],
                         index=[f"r{i}" for i in range(len(rows))], columns=list(SEX_COLUMNS))
    return _shown(protect_counts(frame, POLICY), [label for label, _c in rows], total_label)


def protect_tally(tally: dict[str, int], total_label: str) -> ShownTable:
    """One count per label (a role, an organisation) with the total, protected; the biggest first."""
    items = sorted(((k, int(v)) for k, v in tally.items() if int(v) > 0), key=lambda kv: (-kv[1], kv[0]))
    if not items:
        return ShownTable([], False)
    frame = pd.DataFrame([[n] for _k, n in items], index=[f"r{i}" for i in range(len(items))], columns=["n"])
    return _shown(protect_counts(frame, POLICY), [k for k, _n in items], total_label)


def evaluation_allowed(n_answers: int) -> bool:
    """Whether averages of an event's evaluation may be shown: the gate's rule for figures computed
    from people's answers (at least the threshold of answers; fewer could point to a person)."""
    return derived_allowed([n_answers], POLICY.threshold)


def evaluation_minimum() -> int:
    """The fewest answers whose averages are shown (what the page tells the organiser)."""
    return POLICY.threshold


@dataclass
class EventFigures:
    by_sex: ShownTable  # rows: attended, the other registrants; the total row: all registered
    by_role: ShownTable
    by_organisation: ShownTable


def attendance_table(figures: Figures, labels: dict[str, str]) -> ShownTable:
    """Attended and the other registrants (not attended, or not marked) by sex, with the registered as the
    total row, protected as one table: attended is part of registered, so protecting the two separately
    could let their difference (those who did not come) reveal a small count."""
    rest = {c: max(figures.registered.get(c, 0) - figures.attended.get(c, 0), 0) for c in SEX_COLUMNS}
    return protect_by_sex([(labels["attended"], figures.attended), (labels["not_attended"], rest)],
                          labels["registered"])


def event_figures(event: Event, figures: Figures, labels: dict[str, str]) -> EventFigures:
    """One event's registered and attended by sex, and the attendees' (or, before attendance is marked, the
    registered) roles and organisations, each protected."""
    return EventFigures(attendance_table(figures, labels), protect_tally(figures.by_role, labels["total"]),
                        protect_tally(figures.by_organisation, labels["total"]))


def plan_event_figures(plan: Any, labels: dict[str, str]) -> ShownTable:
    """The plan's follow-up: attendance by sex at the events that carry out its actions (attendance marked),
    one row per event and the total, protected together."""
    events = (Event.objects.filter(action__plan=plan, activity__isnull=False).select_related("activity")
              .order_by("starts", "id"))
    rows = []
    for event in events:
        activity = event.activity
        assert activity is not None
        rows.append((f"{event.title} ({timezone.localtime(event.starts):%Y-%m-%d})",
                     {"woman": activity.women or 0, "man": activity.men or 0, "other": activity.other or 0}))
    return protect_by_sex(rows, labels["total"])


def figure_labels() -> dict[str, str]:
    return {"registered": _("Anmälda (utom avbokade)"), "attended": _("Deltog"),
            "not_attended": _("Övriga anmälda (deltog inte eller inte markerade)"), "total": _("Totalt")}


def sex_columns() -> list[str]:
    return [_("Kvinnor"), _("Män"), _("Annat eller okänt kön")]


def plan_follow_up(plan: Any) -> dict[str, Any]:
    """What the plan page shows of the events carrying out its actions: attendance by sex, protected."""
    return {"event_figures": plan_event_figures(plan, figure_labels()), "sex_columns": sex_columns()}
