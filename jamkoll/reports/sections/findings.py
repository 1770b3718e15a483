"""The comparisons (findings): their tables, their blocks in words, and the section of differences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jamkoll.analysis.results import DIMENSIONS, STATUSES, Effect, Finding
from jamkoll.reports import charts
from jamkoll.reports.explain import explain, note_text, omitted_text
from jamkoll.reports.model import Block, Cell, FindingBlock, Paragraph, Section, Table
from jamkoll.reports.sections.cells import (
    ci_cell,
    effect_cell,
    effect_text,
    hidden_cells,
    number_cell,
    rounded_cell,
    rounded_text,
    unit_words,
)
from jamkoll.reports.sections.settings import RESOURCE_UNITS, Settings
from jamkoll.reports.text import (
    DIMENSION,
    NBSP,
    STATUS,
    STATUS_SHORT,
    SUPPRESSED,
    category_label,
    count_is_safe,
    covariate_label,
    fmt_effect_value,
    fmt_number,
    fmt_p,
    fmt_percent,
    join_words,
)


def status_word(status: str | None, s: Settings) -> str:
    """A status in short words ("Möjligen omotiverad"), or "not compared" for a year without it."""
    return STATUS_SHORT[s.lang][status] if status else s.t["not_compared"]


def status_sort(f: Finding) -> tuple[int, int, str, str]:
    order = {status: i for i, status in enumerate(STATUSES)}
    return (order[f.status], DIMENSIONS.index(f.dimension), f.intervention or "", f.category)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Overall comparisons first, then by intervention, then by category."""
    return sorted(findings, key=lambda f: (f.intervention is not None, f.intervention or "", f.category))


def too_small(f: Finding, s: Settings) -> bool:
    """Too few women or men for the comparison's figures to be published."""
    return not (count_is_safe(f.n_women, s.threshold) and count_is_safe(f.n_men, s.threshold))


def effective_effect(f: Finding) -> Effect:
    return f.adjusted if f.adjusted is not None and f.adjusted.estimate is not None else f.raw


def _finding_title(f: Finding, s: Settings) -> str:
    where = s.name(f.intervention, with_id=f.intervention is not None)
    return f"{DIMENSION[s.lang][f.dimension]}: {category_label(f.category, s.lang)} – {where}"


def short_title(f: Finding, s: Settings) -> str:
    return _finding_title(f, s).replace(f"{DIMENSION[s.lang][f.dimension]}: ", "")


def _withheld(f: Finding, value: float | None) -> bool:
    """A rate the analysis left out because a count behind it is under the threshold."""
    return value is None and f.dimension in ("component", "outcome")


def _value_text(f: Finding, value: float | None, s: Settings) -> str:
    if _withheld(f, value):
        return SUPPRESSED
    if f.dimension == "resource":
        unit = RESOURCE_UNITS.get(f.category, "")
        return fmt_effect_value(value, unit, s.lang, signed=False) if unit else fmt_number(value, s.lang, 1)
    return fmt_percent(value, s.lang)


def explain_finding(f: Finding, s: Settings, *, brief: bool = False) -> str:
    """The finding in words, from :mod:`jamkoll.reports.explain` (one place for every surface)."""
    return explain(f, s.lang, s.names, brief=brief)


def _status_cell(f: Finding, s: Settings) -> Cell:
    return Cell(
        STATUS_SHORT[s.lang][f.status], STATUS_SHORT[s.lang][f.status], emphasis=f.flagged, nowrap=True
    )


def finding_table(
    key: str,
    title: str,
    findings: list[Finding],
    s: Settings,
    dimension: str,
    *,
    with_intervention: bool,
    with_category: bool = True,
) -> Table | None:
    if not findings:
        return None
    t = s.t
    header: list[str] = []
    if with_intervention:
        header.append(t["col_intervention"])
    if with_category and dimension != "participation":
        header.append(t[f"category_{dimension}"])
    label_columns = len(header)
    units = {f.raw.unit for f in findings}
    unit = units.pop() if len(units) == 1 else ""
    if dimension == "participation":
        header += [
            t["col_n_women"],
            t["col_n_men"],
            t["col_share_women"],
            t["col_target"],
            t["col_diff_pp"],
            t["col_ci"],
            t["col_status"],
        ]
    elif dimension == "resource":
        diff_head = t["col_diff"] + (f" ({unit_words(findings[0].raw, s)})" if unit else "")
        header += [
            t["col_n_women"],
            t["col_n_men"],
            t["col_women_mean"],
            t["col_men_mean"],
            diff_head,
            t["col_ci"],
            t["col_adjusted"],
            t["col_status"],
        ]
    else:
        header += [
            t["col_n_women"],
            t["col_n_men"],
            t["col_women_pct"],
            t["col_men_pct"],
            t["col_diff_pp"],
            t["col_ci"],
            t["col_adjusted"],
            t["col_status"],
        ]
    rows: list[list[Cell]] = []
    any_small = False
    previous: str | None = None
    for f in findings:
        row: list[Cell] = []
        if with_intervention:
            name = s.name(f.intervention)
            row.append(Cell(name, name, repeated=with_category and name == previous))
            previous = name
        if with_category and dimension != "participation":
            label = category_label(f.category, s.lang)
            row.append(Cell(label, label, nowrap=True))
        row += [rounded_cell(f.n_women, s), rounded_cell(f.n_men, s)]
        small = too_small(f, s)
        any_small = any_small or small
        if dimension == "participation":
            if small:
                row += hidden_cells(4)
            else:
                row += [
                    number_cell(f.women_value, s, 1),
                    number_cell(f.reference_value, s, 1),
                    effect_cell(f.raw, s),
                    ci_cell(f.raw, s),
                ]
        else:
            decimals = 0 if f.category == "cost_sek" else 1
            fmt = "#,##0" if decimals == 0 else "0.0"
            if small:
                row += hidden_cells(5)
            else:
                row += [
                    hidden_cells(1)[0]
                    if _withheld(f, f.women_value)
                    else number_cell(f.women_value, s, decimals, fmt=fmt),
                    hidden_cells(1)[0] if _withheld(f, f.men_value) else number_cell(f.men_value, s, decimals, fmt=fmt),
                    effect_cell(f.raw, s),
                    ci_cell(f.raw, s),
                    effect_cell(f.adjusted, s),
                ]
        row.append(_status_cell(f, s))
        rows.append(row)
    note = t["ckm_ref"]
    if any_small or any(c.suppressed for r in rows for c in r):
        note = f"{note} {t['small_n_note'].format(t=s.threshold)}"
    return Table(key=key, title=title, header=header, rows=rows, note=note, label_columns=label_columns,
                 caption=t[f"counts_findings_{dimension}"])


def _finding_block(f: Finding, s: Settings) -> FindingBlock:
    t = s.t
    facts: list[tuple[str, str]] = []
    notes = [note_text(code, s.lang) for code in f.notes]
    if f.omitted_covariates:
        notes.append(omitted_text(f, s.lang))
    if too_small(f, s):
        notes.insert(0, t["too_few"].format(t=s.threshold))
    else:
        if f.dimension == "participation":
            facts.append((t["fact_share_women"], fmt_percent(f.women_value, s.lang)))
            if f.reference_value is not None:
                facts.append((t["fact_target"], fmt_percent(f.reference_value, s.lang)))
        else:
            facts.append((t["fact_women"], _value_text(f, f.women_value, s)))
            facts.append((t["fact_men"], _value_text(f, f.men_value, s)))
        facts.append((t["fact_raw"], effect_text(f.raw, s)))
        if f.adjusted is not None and f.adjusted.estimate is not None:
            facts.append((t["fact_adjusted"], effect_text(f.adjusted, s)))
        if f.risk_ratio is not None and f.risk_ratio.estimate is not None:
            facts.append((t["fact_ratio"], effect_text(f.risk_ratio, s)))
        q = f.q_adjusted if f.q_adjusted is not None else f.q_raw
        if q is not None:
            q_text = fmt_p(q, s.lang)
            q_text = q_text if q_text.startswith("<") else f"={NBSP}{q_text}"
            facts.append((t["fact_certainty"], t["q_text"].format(q=q_text)))
    if f.adjusted_for:
        facts.append(
            (
                t["fact_adjusted_for"],
                join_words(dict.fromkeys(covariate_label(c, s.lang) for c in f.adjusted_for), s.lang),
            )
        )
    n_text = t["n_people"].format(w=rounded_text(f.n_women, s), m=rounded_text(f.n_men, s))
    if f.n_other and not count_is_safe(f.n_other, s.threshold):
        n_text += t["n_other_few"].format(t=s.threshold)
    elif f.n_other:
        n_text += t["n_other"].format(o=rounded_text(f.n_other, s))
    facts.append((t["fact_n"], n_text))
    return FindingBlock(
        id=f.id,
        title=_finding_title(f, s),
        status=f.status,
        status_label=STATUS[s.lang][f.status],
        explanation=explain_finding(f, s),
        facts=facts,
        notes=notes,
    )


def findings_section(s: Settings, findings: list[Finding]) -> Section:
    t = s.t
    sec = Section(id="skillnader" if s.lang == "sv" else "differences", title=t["findings"])
    sec.add(Paragraph(t["findings_lead"]))
    shown = [f for f in findings if f.status != "none" and not too_small(f, s)]
    pp = [f for f in shown if effective_effect(f).unit == "pp" and effective_effect(f).estimate is not None]
    if pp:
        rows: list[dict[str, Any]] = []
        for f in sorted(pp, key=status_sort):
            e = effective_effect(f)
            rows.append(
                {
                    "label": short_title(f, s),
                    "estimate": e.estimate,
                    "low": e.ci_low,
                    "high": e.ci_high,
                    "status": STATUS_SHORT[s.lang][f.status],
                    "text": fmt_number(e.estimate, s.lang, 1, signed=True),
                }
            )
        alt = (
            t["findings_chart_alt"]
            + "; ".join(f"{r['label']}: {r['text']} ({r['status'].lower()})" for r in rows)
            + "."
        )
        sec.add(
            charts.difference_chart(
                "findings-overview",
                t["findings_chart"],
                alt,
                rows,
                x_title=t["diff_axis"].format(unit=unit_words(pp[0].raw, s)),
                left_label=t["lower_women"],
                right_label=t["higher_women"],
                status_order=list(STATUS_SHORT[s.lang].values()),
            )
        )
    flagged = sorted((f for f in findings if f.flagged), key=status_sort)
    explained = sorted((f for f in findings if f.status == "explained"), key=status_sort)
    for items, subsection, none in (
        (flagged, "flagged", "findings_none_flagged"),
        (explained, "explained", "findings_none_explained"),
    ):
        blocks: list[Block] = [_finding_block(f, s) for f in items] or [Paragraph(t[none])]
        sec.sub(subsection, t[f"findings_{subsection}"]).add(*blocks)
    uncertain = sorted((f for f in findings if f.status == "uncertain"), key=status_sort)
    if uncertain:
        sec.sub("uncertain", STATUS[s.lang]["uncertain"]).add(*[_finding_block(f, s) for f in uncertain])
    return sec
