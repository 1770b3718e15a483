"""How many women and men took part, as the report's summary and year-on-year table print it."""

from __future__ import annotations

from dataclasses import dataclass, field

from jamkoll.analysis.results import Finding, ResultTable
from jamkoll.reports.sections.cells import published_count
from jamkoll.reports.sections.findings import too_small
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.sections.tables import hidden_mask, is_total, matches_intervention, row_key, sex_code
from jamkoll.reports.text import MISSING, count_is_safe, finite, fmt_count, fmt_number


@dataclass
class _Participants:
    women: float | None = None
    men: float | None = None
    exact: bool = True  # False: summed over interventions from the findings' published group sizes
    enrolments: bool = False  # summed over interventions: a person in two counts twice
    excluded: list[str] = field(default_factory=list)  # interventions left out of the sums

    def text(self, value: float | None, s: Settings) -> str:
        if value is None:
            return MISSING
        if self.exact:
            return fmt_count(value, s.threshold, s.lang)
        return fmt_number(value, s.lang) if value == 0 else f"{s.t['approx']} {fmt_number(value, s.lang)}"


def count_participants(
    findings: list[Finding], s: Settings, topics: dict[str, list[ResultTable]]
) -> _Participants:
    """Women and men who took part.

    Published counts from the analysis' tables are preferred. Where the tables hide them, the
    participation comparison (or the sum over interventions) gives them, as published by the gate, so that they
    cannot undo the tables' suppression. Interventions with fewer women or men than the threshold are
    left out of such a sum and named.
    """
    from_table = _participants_from_tables(topics.get("participation", []), s)
    if from_table is not None:
        return _Participants(*from_table)
    part = [f for f in findings if f.dimension == "participation"]
    for f in part:
        if f.intervention == s.intervention:
            return _Participants(published_count(f.n_women, s), published_count(f.n_men, s))
    by_intervention = {f.intervention: f for f in part if f.intervention}
    if not by_intervention or s.intervention is not None:
        return _Participants()
    safe = {i: f for i, f in by_intervention.items() if not too_small(f, s)}
    return _Participants(
        published_count(sum(f.n_women or 0 for f in safe.values()), s),
        published_count(sum(f.n_men or 0 for f in safe.values()), s),
        exact=False,
        enrolments=len(safe) > 1,
        excluded=sorted(set(by_intervention) - set(safe)),
    )


def _participants_from_tables(tables: list[ResultTable], s: Settings) -> tuple[float, float] | None:
    """The published numbers of women and men in the association's (or the intervention's) row."""
    for rt in tables:
        if rt.kind != "counts":
            continue
        frame, mask = rt.frame, hidden_mask(rt)
        cols = {code: c for c in frame.columns if (code := sex_code(c)) is not None}
        if set(cols) != {"women", "men"}:
            continue
        labels = [row_key(idx) for idx in frame.index]
        wanted = None
        for i, lab in enumerate(labels):
            if s.intervention is None and any(is_total(x) for x in lab):
                wanted = i
            elif s.intervention is not None and any(matches_intervention(x, s) for x in lab):
                wanted = i
        if wanted is None and len(frame) == 1:
            wanted = 0
        if wanted is None:
            continue
        women, men = finite(frame[cols["women"]].iloc[wanted]), finite(frame[cols["men"]].iloc[wanted])
        hidden = bool(mask[cols["women"]].iloc[wanted]) or bool(mask[cols["men"]].iloc[wanted])
        if women is not None and men is not None and not hidden:
            return women, men
        return None  # the table hides them: so must the report
    return None


def share_of_women(people: _Participants, s: Settings) -> float | None:
    w, m = people.women, people.men
    if w is None or m is None or w + m <= 0:
        return None
    if not (count_is_safe(w, s.threshold) and count_is_safe(m, s.threshold)):
        return None
    return 100 * w / (w + m)
