"""Blinder–Oaxaca decompositions of resource gaps: what is explained by legitimate needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jamkoll.analysis.results import DecompositionKey, decomposition_key
from jamkoll.reports import charts
from jamkoll.reports.model import Cell, Figure, Table
from jamkoll.reports.sections.cells import number_cell
from jamkoll.reports.sections.settings import RESOURCE_UNITS, Settings
from jamkoll.reports.text import (
    NBSP,
    category_label,
    count_is_safe,
    covariate_label,
    finite,
    fmt_effect_value,
    fmt_number,
    unit_label,
)


@dataclass
class Decomposition:
    key: str
    category: str
    intervention: str | None
    women_mean: float | None
    men_mean: float | None
    gap: float
    explained: float
    unexplained: float
    by_variable: dict[str, float]
    n_women: float | None
    n_men: float | None


def decompositions_of(raw: Mapping[DecompositionKey, dict[str, Any]], s: Settings) -> list[Decomposition]:
    """Women − men decompositions (the twofold one against the pooled model), whichever group the
    analysis called A; decompositions over fewer women or men than the threshold are left out.

    ``raw`` is keyed by (resource, intervention), as :attr:`Analysis.decompositions` is."""
    out = []
    for (category, intervention), d in raw.items():
        if not isinstance(d, dict) or "twofold" not in d:
            continue
        key = decomposition_key((category, intervention))
        if s.intervention is not None and intervention != s.intervention:
            continue
        twofold = d["twofold"]
        ref = next((r for r in ("pooled", "neumark", "0.5", "0") if isinstance(twofold.get(r), dict)), None)
        if ref is None:
            continue
        women_first = d.get("group_a", "women") == "women"
        sign = 1.0 if women_first else -1.0
        gap, explained = finite(d.get("gap")), finite(twofold[ref]["explained"]["estimate"])
        unexplained = finite(twofold[ref]["unexplained"]["estimate"])
        if gap is None or explained is None or unexplained is None:
            continue
        by_var: dict[str, float] = {}
        for term, value in (twofold[ref]["explained"].get("by_variable") or {}).items():
            number = finite(value)
            if term == "(Intercept)" or number is None:
                continue
            base = term.split("[", 1)[0]
            by_var[base] = by_var.get(base, 0.0) + sign * number
        n_a, n_b = finite(d.get("n_a")), finite(d.get("n_b"))
        n_w, n_m = (n_a, n_b) if women_first else (n_b, n_a)
        if not (count_is_safe(n_w, s.threshold) and count_is_safe(n_m, s.threshold)):
            continue
        mean_a, mean_b = finite(d.get("mean_a")), finite(d.get("mean_b"))
        out.append(
            Decomposition(
                key=key,
                category=category,
                intervention=intervention,
                women_mean=mean_a if women_first else mean_b,
                men_mean=mean_b if women_first else mean_a,
                gap=sign * gap,
                explained=sign * explained,
                unexplained=sign * unexplained,
                by_variable=by_var,
                n_women=n_w,
                n_men=n_m,
            )
        )
    out.sort(key=lambda d: (d.intervention is not None, d.intervention or "", d.category))
    return out


def decomposition_figure(d: Decomposition, s: Settings) -> Figure:
    t = s.t
    unit = RESOURCE_UNITS.get(d.category, "")

    def text(v: float) -> str:
        return (fmt_effect_value(v, unit, s.lang) if unit else fmt_number(v, s.lang, 1, signed=True)).replace(
            NBSP, " "
        )

    rows = [
        {"label": t["dec_total"], "value": d.gap, "group": t["dec_group_total"], "text": text(d.gap)},
        {
            "label": t["dec_explained"],
            "value": d.explained,
            "group": t["dec_group_parts"],
            "text": text(d.explained),
        },
        {
            "label": t["dec_unexplained"],
            "value": d.unexplained,
            "group": t["dec_group_parts"],
            "text": text(d.unexplained),
        },
    ]
    for var, value in sorted(d.by_variable.items(), key=lambda kv: -abs(kv[1]))[:6]:
        rows.append(
            {
                "label": t["dec_by"].format(what=covariate_label(var, s.lang)),
                "value": value,
                "group": t["dec_group_vars"],
                "text": text(value),
            }
        )
    what = category_label(d.category, s.lang)
    where = s.name(d.intervention)
    alt = t["decomposition_chart_alt"].format(
        what_lower=what.lower(),
        where_lower=where.lower() if d.intervention is None else where,
        gap=text(d.gap),
        explained=text(d.explained),
        unexplained=text(d.unexplained),
    )
    alt += "; ".join(f"{r['label']}: {r['text']}" for r in rows[3:]) + ("." if len(rows) > 3 else "")
    key = "decomposition-" + "-".join(x for x in (d.category, d.intervention or "all"))
    return charts.decomposition_chart(
        key,
        t["decomposition_chart"].format(what=what, where=where.lower() if d.intervention is None else where),
        alt.strip(),
        rows,
        x_title=t["dec_axis"].format(unit=unit_label(unit, s.lang) if unit else ""),
    )


def decomposition_table(decs: list[Decomposition], s: Settings) -> Table:
    t = s.t
    header = [
        t["dec_col_resource"],
        t["dec_col_where"],
        t["dec_col_women"],
        t["dec_col_men"],
        t["dec_col_gap"],
        t["dec_col_explained"],
        t["dec_col_unexplained"],
    ]
    rows = []
    for d in decs:
        decimals = 0 if d.category == "cost_sek" else 1
        fmt = "#,##0" if decimals == 0 else "0.0"
        sfmt = "+#,##0;-#,##0;0" if decimals == 0 else "+0.0;-0.0;0.0"
        rows.append(
            [
                Cell(category_label(d.category, s.lang), category_label(d.category, s.lang)),
                Cell(s.name(d.intervention), s.name(d.intervention)),
                number_cell(d.women_mean, s, decimals, fmt=fmt),
                number_cell(d.men_mean, s, decimals, fmt=fmt),
                number_cell(d.gap, s, decimals, fmt=sfmt, signed=True),
                number_cell(d.explained, s, decimals, fmt=sfmt, signed=True),
                number_cell(d.unexplained, s, decimals, fmt=sfmt, signed=True),
            ]
        )
    return Table(key="decomposition", title=t["dec_table"], header=header, rows=rows, label_columns=2)
