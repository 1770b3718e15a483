"""Components and outcomes: rates of women and men, overall and per intervention."""

from __future__ import annotations

from typing import Any

from jamkoll.analysis.results import Finding, ResultTable
from jamkoll.reports import charts
from jamkoll.reports.model import Figure, Paragraph, Section
from jamkoll.reports.sections.cells import wilson
from jamkoll.reports.sections.findings import finding_table, sorted_findings, too_small
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.sections.tables import convert_table
from jamkoll.reports.text import DIMENSION, SEX, category_label, fmt_percent


def rate_section(
    s: Settings, findings: list[Finding], topics: dict[str, list[ResultTable]], dimension: str
) -> Section:
    t = s.t
    ids = {"component": ("delinsatser", "components"), "outcome": ("resultat", "outcomes")}[dimension]
    sec = Section(id=ids[0] if s.lang == "sv" else ids[1], title=t[dimension])
    part = [f for f in findings if f.dimension == dimension]
    tables = [x for x in (convert_table(rt, s) for rt in topics.get(dimension, [])) if x is not None]
    if not part and not tables:
        return sec
    sec.add(Paragraph(t[f"{dimension}_lead"]))
    scope = s.intervention  # None: the association as a whole
    main = sorted((f for f in part if f.intervention == scope), key=lambda f: f.category)
    where = s.name(scope).lower() if scope is None else s.name(scope)
    what = DIMENSION[s.lang][dimension]
    if main:
        sec.add(*_rate_chart(f"{dimension}-rates", main, s, what, where))
        table = finding_table(
            f"{dimension}_overall",
            t["rate_table_overall"].format(what=what, where=where),
            main,
            s,
            dimension,
            with_intervention=False,
        )
        if table is not None:
            sec.add(table)
    per = sorted_findings(f for f in part if f.intervention is not None and f.intervention != scope)
    if per:
        table = finding_table(
            f"{dimension}_per_intervention",
            t["rate_table_per"].format(what=what),
            per,
            s,
            dimension,
            with_intervention=True,
        )
        if table is not None:
            sec.add(table)
    sec.add(*tables)
    return sec


def _rate_chart(key: str, findings: list[Finding], s: Settings, what: str, where: str) -> list[Figure]:
    t = s.t
    rows: list[dict[str, Any]] = []
    described: list[str] = []
    for f in findings:
        if too_small(f, s):
            continue
        label = category_label(f.category, s.lang)
        parts = []
        for sex, value, n in (("women", f.women_value, f.n_women), ("men", f.men_value, f.n_men)):
            if value is None:
                continue
            low, high = wilson(value, n or 0)
            text = fmt_percent(value, s.lang, 0)
            rows.append(
                {
                    "category": label,
                    "sex": SEX[s.lang][sex],
                    "value": value,
                    "low": low,
                    "high": high,
                    "text": text,
                }
            )
            parts.append(text)
        if len(parts) == 2:
            described.append(f"{label}: {t['vs_men'].format(women=parts[0], men=parts[1])}")
    if not rows:
        return []
    alt = t["rate_chart_alt"].format(what_lower=what.lower(), where_lower=where) + "; ".join(described) + "."
    return [
        charts.rate_chart(
            key,
            t["rate_chart"].format(what=what, where=where),
            alt,
            rows,
            sex_labels=SEX[s.lang],
            x_title=t["rate_axis"],
        )
    ]
