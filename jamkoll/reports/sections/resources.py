"""Resources: hours, costs and durations of women and men, with their decompositions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamkoll.analysis.results import DecompositionKey, Finding, ResultTable
from jamkoll.reports import charts
from jamkoll.reports.model import Paragraph, Section
from jamkoll.reports.sections.cells import unit_words
from jamkoll.reports.sections.decomposition import decomposition_figure, decomposition_table, decompositions_of
from jamkoll.reports.sections.findings import effective_effect, finding_table, sorted_findings, too_small
from jamkoll.reports.sections.settings import MAX_DECOMPOSITION_CHARTS, Settings
from jamkoll.reports.sections.tables import convert_table
from jamkoll.reports.text import NBSP, STATUS_SHORT, category_label, fmt_effect_value


def resource_section(
    s: Settings,
    findings: list[Finding],
    topics: dict[str, list[ResultTable]],
    decompositions: Mapping[DecompositionKey, dict[str, Any]],
) -> Section:
    t = s.t
    sec = Section(id="resurser" if s.lang == "sv" else "resources", title=t["resource"])
    part = [f for f in findings if f.dimension == "resource"]
    tables = [x for x in (convert_table(rt, s) for rt in topics.get("resource", [])) if x is not None]
    decs = decompositions_of(decompositions, s)
    if not part and not tables and not decs:
        return sec
    sec.add(Paragraph(t["resource_lead"]))
    for category in dict.fromkeys(f.category for f in sorted(part, key=lambda f: f.category)):
        group = sorted_findings(f for f in part if f.category == category and not too_small(f, s))
        effects = [(f, effective_effect(f)) for f in group]
        effects = [(f, e) for f, e in effects if e.estimate is not None]
        units = {e.unit for _, e in effects}
        if not effects or len(units) != 1:
            continue
        what = category_label(category, s.lang)
        unit = units.pop()
        scale = 100.0 if unit == "relative" else 1.0  # a relative gap is a fraction; the axis shows per cent
        rows: list[dict[str, Any]] = [
            {
                "label": s.name(f.intervention),
                "estimate": (e.estimate or 0.0) * scale,
                "low": None if e.ci_low is None else e.ci_low * scale,
                "high": None if e.ci_high is None else e.ci_high * scale,
                "status": STATUS_SHORT[s.lang][f.status],
                "text": fmt_effect_value(e.estimate, e.unit, s.lang).replace(NBSP, " "),
            }
            for f, e in effects
        ]
        alt = (
            t["resource_chart_alt"].format(what_lower=what.lower())
            + "; ".join(f"{r['label']}: {r['text']} ({r['status'].lower()})" for r in rows)
            + "."
        )
        sec.add(
            charts.difference_chart(
                f"resource-{category}",
                t["resource_chart"].format(what=what),
                alt,
                rows,
                x_title=t["diff_axis"].format(
                    unit=unit_words(effects[0][1], s) if unit != "relative" else "%"
                ),
                left_label=t["lower_women"],
                right_label=t["higher_women"],
                status_order=list(STATUS_SHORT[s.lang].values()),
            )
        )
    table = finding_table(
        "resource_findings", t["resource_table"], sorted_findings(part), s, "resource", with_intervention=True
    )
    if table is not None:
        sec.add(table)
    sec.add(*tables)
    if decs:
        sub = sec.sub("decomposition", t["decomposition_sub"])
        sub.add(Paragraph(t["decomposition_lead"]))
        for i, dec in enumerate(decs):
            if i < MAX_DECOMPOSITION_CHARTS:
                sub.add(decomposition_figure(dec, s))
        sub.add(decomposition_table(decs, s))
    return sec
