"""Participation: the share of women per intervention against the target group."""

from __future__ import annotations

from jamkoll.analysis.results import Finding, ResultTable
from jamkoll.reports import charts
from jamkoll.reports.model import Paragraph, Section
from jamkoll.reports.sections.cells import wilson
from jamkoll.reports.sections.findings import finding_table, sorted_findings, too_small
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.sections.tables import convert_table
from jamkoll.reports.text import fmt_percent


def participation_section(
    s: Settings, findings: list[Finding], topics: dict[str, list[ResultTable]]
) -> Section:
    t = s.t
    sec = Section(id="deltagande" if s.lang == "sv" else "participation", title=t["participation"])
    part = sorted_findings(f for f in findings if f.dimension == "participation")
    if not part and not topics.get("participation") and not topics.get("target"):
        return sec
    sec.add(Paragraph(t["participation_lead"]))
    rows = []
    for f in part:
        if too_small(f, s) or f.women_value is None:
            continue
        low, high = wilson(f.women_value, (f.n_women or 0) + (f.n_men or 0))
        rows.append(
            {
                "label": s.name(f.intervention),
                "share": f.women_value,
                "low": low,
                "high": high,
                "reference": f.reference_value,
                "text": fmt_percent(f.women_value, s.lang, 0),
            }
        )
    if rows:
        alt = (
            t["participation_chart_alt"]
            + "; ".join(
                f"{r['label']}: {r['text']}"
                + (
                    f" ({t['share_women_ref'].lower()} {fmt_percent(r['reference'], s.lang, 0)})"
                    if r["reference"] is not None
                    else ""
                )
                for r in rows
            )
            + "."
        )
        sec.add(
            charts.participation_chart(
                "participation",
                t["participation_chart"],
                alt,
                rows,
                bar_label=t["share_women_bar"],
                reference_label=t["share_women_ref"],
                x_title=t["share_axis"],
            )
        )
    table = finding_table(
        "participation_findings", t["participation_table"], part, s, "participation", with_intervention=True
    )
    if table is not None:
        sec.add(table)
    tables = [x for x in (convert_table(rt, s) for rt in topics.get("participation", [])) if x is not None]
    if tables:
        sec.sub("participants", t["participants_sub"]).add(*tables)
    targets = [x for x in (convert_table(rt, s) for rt in topics.get("target", [])) if x is not None]
    if targets:
        sec.sub("target", t["target_sub"]).add(*targets)
    return sec
