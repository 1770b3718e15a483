"""What the report says: the analysis turned into sections of text, tables and charts, written once.

The four writers (HTML, PDF, Word, Excel) lay out the :class:`~jamkoll.reports.model.ReportContext`
built here and never compute or format a figure themselves.

Disclosure: the analysis' tables have already been through disclosure control and are shown as
they are (a hidden cell is printed ``..``). Counts that this module takes from findings (the number
of women and men behind a comparison) have not, so each is checked against the threshold before it
is printed, and a comparison based on fewer women or men than the threshold shows no values at all.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jamkoll.analysis.change import compare_years
from jamkoll.analysis.results import DIMENSIONS, STATUSES, Analysis, Effect, Finding, ResultTable
from jamkoll.reports import charts
from jamkoll.reports.explain import change_text, explain, note_text, omitted_text
from jamkoll.reports.governance import GovernanceSummary
from jamkoll.reports.governance_section import TEXT as GOVERNANCE_TEXT
from jamkoll.reports.governance_section import chapter_title, governance_section
from jamkoll.reports.model import (
    Block,
    BulletList,
    Cell,
    Figure,
    FindingBlock,
    KeyFigure,
    KeyFigures,
    Paragraph,
    ReportContext,
    Section,
    Table,
)
from jamkoll.reports.phrases import LAYOUT, METHODS, T
from jamkoll.reports.text import (
    DIMENSION,
    MISSING,
    NBSP,
    SEX,
    STATUS,
    STATUS_SHORT,
    SUPPRESSED,
    category_label,
    check_lang,
    count_is_safe,
    covariate_label,
    finite,
    fmt_count,
    fmt_effect_value,
    fmt_number,
    fmt_p,
    fmt_percent,
    header_label,
    join_words,
    unit_label,
)

DEFAULT_THRESHOLD = 5
MAX_EXPLAINED_BULLETS = 1
MAX_DECOMPOSITION_CHARTS = 4


# Topics the analysis' tables are sorted into, by words in their key (or title).
_TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intersectional", ("intersection", "intersektion", "intersek")),
    ("trend", ("trend", "by_year", "per_year", "years", "yearly", "over_time", "per_år", "år_för_år")),
    ("target", ("target", "reference", "representation", "målgrupp")),
    ("participation", ("particip", "deltag", "enrol", "inskriv", "headcount", "counts")),
    ("component", ("component", "delinsats")),
    ("outcome", ("outcome", "exit", "resultat", "avslut")),
    ("resource", ("resource", "hours", "cost", "duration", "budget", "resurs", "timmar", "kostnad")),
)


@dataclass
class _Settings:
    lang: str
    threshold: int
    year: int | None
    organisation: str
    names: dict[str, str]
    intervention: str | None
    restricted: bool  # the analysis itself covers only the chosen intervention
    config: dict[str, Any]
    meta: dict[str, Any]
    t: dict[str, str] = field(default_factory=dict)

    def name(self, intervention: str | None, *, with_id: bool = False) -> str:
        if intervention is None:
            return self.t["all_interventions"]
        name = self.names.get(intervention, "")
        if not name or name == intervention:
            return intervention
        return f"{name} ({intervention})" if with_id else name


RESOURCE_UNITS = {"hours": "hours", "cost_sek": "sek", "duration_days": "days"}


# --------------------------------------------------------------------------------------------------
# Entry point


def build_context(
    analysis: Analysis,
    *,
    lang: str = "sv",
    intervention: str | None = None,
    previous: Analysis | None = None,
    today: dt.date | None = None,
    governance: GovernanceSummary | None = None,
) -> ReportContext:
    """The whole report's content, in ``lang``, for the association or for one ``intervention``.

    ``previous`` is the analysis of the year before; with it the summary and the trend section say
    what changed. ``governance`` adds the chapter on gender mainstreaming (plan, findings,
    applications, budget, checklists and activities) before the method section.
    """
    check_lang(lang)
    s = _settings(analysis, lang, intervention)
    findings = _select(analysis.findings, s)
    prev_findings = _select(previous.findings, s) if previous is not None else None
    prev_label = _previous_label(previous, s)
    topics = _sort_tables(analysis, s)
    prev_topics = _sort_tables(previous, s) if previous is not None else {}

    sections = [
        _summary(s, findings, prev_findings, prev_label, topics, prev_topics),
        _findings_section(s, findings),
        _participation_section(s, findings, topics),
        _rate_section(s, findings, topics, "component"),
        _rate_section(s, findings, topics, "outcome"),
        _resource_section(s, findings, topics, analysis.decompositions),
        _intersectional_section(s, topics),
        _trend_section(s, findings, prev_findings, prev_label, topics, prev_topics),
        _other_section(s, topics),
        *([governance_section(governance, lang, s.threshold, intervention)] if governance is not None else []),
        _method_section(s, analysis, findings),
    ]
    sections = [sec for sec in sections if not sec.is_empty()]
    _number(sections)

    year_text = str(s.year) if s.year is not None else ""
    title = s.t["title"].format(year=year_text) if s.year is not None else s.t["title_no_year"]
    if intervention is not None:
        title = f"{title}: {s.name(intervention)}"
        subtitle = s.t["subtitle_steering"].format(name=s.name(intervention, with_id=True))
    else:
        subtitle = s.t["subtitle_board"]
    generated = (today or dt.date.today()).isoformat()
    about = _about(s, title, findings, generated, prev_label if previous is not None else None)
    if governance is not None:
        about.insert(-1, (GOVERNANCE_TEXT[lang]["about"], chapter_title(lang)))
    return ReportContext(
        lang=lang,
        title=title,
        subtitle=subtitle,
        organisation=s.organisation,
        year=s.year,
        intervention=intervention,
        generated=generated,
        threshold=s.threshold,
        sections=sections,
        about=about,
        labels=dict(LAYOUT[lang]),
    )


# --------------------------------------------------------------------------------------------------
# Settings read from the analysis


def _lookup(mapping: Any, *keys: str) -> Any:
    """The first of ``keys`` present in ``mapping`` or in its ``disclosure`` sub-dict."""
    if not isinstance(mapping, dict):
        return None
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    sub = mapping.get("disclosure")
    if isinstance(sub, dict):
        for key in keys:
            if sub.get(key) is not None:
                return sub[key]
    return None


def _settings(analysis: Analysis, lang: str, intervention: str | None) -> _Settings:
    config, meta = analysis.config or {}, analysis.meta or {}
    threshold = _lookup(config, "threshold", "disclosure_threshold") or _lookup(meta, "threshold")
    try:
        threshold = int(threshold) if threshold is not None else DEFAULT_THRESHOLD
    except (TypeError, ValueError):
        threshold = DEFAULT_THRESHOLD
    year = _lookup(config, "year") or _lookup(meta, "year")
    try:
        year = int(year) if year is not None else None
    except (TypeError, ValueError):
        year = None
    organisation = str(
        _lookup(meta, "organisation", "organization", "association", "organisation_name")
        or _lookup(config, "organisation", "organization", "association")
        or ""
    )
    names = _intervention_names(meta.get("interventions")) or _intervention_names(config.get("interventions"))
    known = {f.intervention for f in analysis.findings if f.intervention}
    scope = _lookup(config, "interventions", "intervention")
    scope_ids = (
        [scope]
        if isinstance(scope, str)
        else [(x.get("id") if isinstance(x, dict) else x) for x in scope]
        if isinstance(scope, list)
        else []
    )
    restricted = intervention is not None and [str(x) for x in scope_ids] == [intervention]
    if (
        intervention is not None
        and intervention not in known
        and intervention not in names
        and not restricted
    ):
        raise ValueError(
            f"intervention {intervention!r} is not in the analysis "
            f"(known: {', '.join(sorted(known | set(names))) or 'none'})"
        )
    return _Settings(
        lang=lang,
        threshold=threshold,
        year=year,
        organisation=organisation,
        names=names,
        intervention=intervention,
        restricted=restricted,
        config=config,
        meta=meta,
        t=T[lang],
    )


def _intervention_names(raw: Any) -> dict[str, str]:
    """Intervention id -> name from ``{id: name}``, ``{id: {"name": ...}}`` or ``[{"id", "name"}]``."""
    names: dict[str, str] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, str):
                names[str(key)] = value
            elif isinstance(value, dict) and value.get("name"):
                names[str(key)] = str(value["name"])
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                ident = item.get("id") or item.get("intervention_id") or item.get("intervention")
                if ident and item.get("name"):
                    names[str(ident)] = str(item["name"])
    return names


def _select(findings: Sequence[Finding], s: _Settings) -> list[Finding]:
    if s.intervention is None:
        return list(findings)
    return [f for f in findings if f.intervention == s.intervention]


def _previous_label(previous: Analysis | None, s: _Settings) -> str:
    if previous is None:
        return s.t["prev_year"]
    year = _lookup(previous.config or {}, "year") or _lookup(previous.meta or {}, "year")
    return str(year) if year is not None else s.t["prev_year"]


# --------------------------------------------------------------------------------------------------
# Small helpers


def _status_sort(f: Finding) -> tuple[int, int, str, str]:
    order = {status: i for i, status in enumerate(STATUSES)}
    return (order[f.status], DIMENSIONS.index(f.dimension), f.intervention or "", f.category)


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    """Overall comparisons first, then by intervention, then by category."""
    return sorted(findings, key=lambda f: (f.intervention is not None, f.intervention or "", f.category))


def _small(f: Finding, s: _Settings) -> bool:
    """Too few women or men for the comparison's figures to be published."""
    return not (count_is_safe(f.n_women, s.threshold) and count_is_safe(f.n_men, s.threshold))


def _effective(f: Finding) -> Effect:
    return f.adjusted if f.adjusted is not None and f.adjusted.estimate is not None else f.raw


def _finding_title(f: Finding, s: _Settings) -> str:
    where = s.name(f.intervention, with_id=f.intervention is not None)
    return f"{DIMENSION[s.lang][f.dimension]}: {category_label(f.category, s.lang)} – {where}"


def _withheld(f: Finding, value: float | None) -> bool:
    """A rate the analysis left out because a count behind it is under the threshold."""
    return value is None and f.dimension in ("component", "outcome")


def _value_text(f: Finding, value: float | None, s: _Settings) -> str:
    if _withheld(f, value):
        return SUPPRESSED
    if f.dimension == "resource":
        unit = RESOURCE_UNITS.get(f.category, "")
        return fmt_effect_value(value, unit, s.lang, signed=False) if unit else fmt_number(value, s.lang, 1)
    return fmt_percent(value, s.lang)


def _effect_text(e: Effect | None, s: _Settings) -> str:
    if e is None or e.estimate is None:
        return MISSING
    text = fmt_effect_value(e.estimate, e.unit, s.lang)
    if e.ci_low is not None and e.ci_high is not None:
        low = fmt_effect_value(e.ci_low, e.unit, s.lang)
        high = fmt_effect_value(e.ci_high, e.unit, s.lang)
        text += f" ({s.t['ci'].format(low=low, high=high)})"
    return text


def _explanation(f: Finding, s: _Settings, *, brief: bool = False) -> str:
    """The finding in words, from :mod:`jamkoll.reports.explain` (one place for every surface)."""
    return explain(f, s.lang, s.names, brief=brief)


def _wilson(rate_pct: float | None, n: int) -> tuple[float | None, float | None]:
    """95 % Wilson interval, in per cent, for a rate given in per cent over n people."""
    if rate_pct is None or n <= 0:
        return None, None
    p = min(1.0, max(0.0, rate_pct / 100.0))
    z = 1.959963984540054
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def _num(value: Any, s: _Settings, decimals: int, *, fmt: str = "0.0", signed: bool = False) -> Cell:
    number = finite(value)
    return Cell(
        fmt_number(number, s.lang, decimals, signed=signed),
        number,
        fmt if number is not None else "General",
        align="right",
    )


def _count_cell(value: Any, s: _Settings) -> Cell:
    number = finite(value)
    if number is not None and not count_is_safe(number, s.threshold):
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    return Cell(
        fmt_count(number, s.threshold, s.lang),
        int(number) if number is not None else None,
        "#,##0",
        align="right",
    )


def _rounded(value: Any, s: _Settings) -> int | None:
    """A group size taken from a finding; None when it must not be shown.

    The publication gate (:mod:`jamkoll.analysis.publication`) has already replaced it by the
    published count of the same people, the value the tables show for them, so it is printed as it
    is. A value from 1 to the threshold (which the gate never gives) is still refused here.
    """
    number = finite(value)
    if number is None or not count_is_safe(number, s.threshold):
        return None
    return int(number)


def _rounded_cell(value: Any, s: _Settings) -> Cell:
    number = _rounded(value, s)
    if number is None:
        return Cell(
            SUPPRESSED if finite(value) is not None else MISSING,
            None,
            suppressed=finite(value) is not None,
            align="right",
        )
    return Cell(fmt_number(number, s.lang), number, "#,##0", align="right")


def _rounded_text(value: Any, s: _Settings) -> str:
    number = _rounded(value, s)
    if number is None:
        return SUPPRESSED if finite(value) is not None else MISSING
    return fmt_number(number, s.lang)


def _hidden(n: int = 1) -> list[Cell]:
    return [Cell(SUPPRESSED, None, suppressed=True, align="right") for _ in range(n)]


def _effect_number(value: float | None, unit: str, s: _Settings) -> tuple[str, float | None, str]:
    """An effect as a table shows it, without its unit (the column or row names it): the text, the
    number for the workbook and its Excel format."""
    number = finite(value)
    if number is None:
        return MISSING, None, "General"
    if unit == "ratio":
        return fmt_number(number, s.lang, 2), number, "0.00"
    if unit == "relative":  # a fraction of the men's mean, shown in per cent
        return fmt_number(100 * number, s.lang, 0, signed=True), 100 * number, "+0;-0;0"
    if unit == "sek":
        return fmt_number(number, s.lang, 0, signed=True), number, "+#,##0;-#,##0;0"
    return fmt_number(number, s.lang, 1, signed=True), number, "+0.0;-0.0;0.0"


def _ci_cell(e: Effect | None, s: _Settings) -> Cell:
    if e is None or e.ci_low is None or e.ci_high is None:
        return Cell(MISSING, None, align="right")
    low, high = _effect_number(e.ci_low, e.unit, s)[0], _effect_number(e.ci_high, e.unit, s)[0]
    text = f"{low}{' till ' if s.lang == 'sv' else ' to '}{high}"
    return Cell(text, text, align="right", nowrap=True)


def _effect_cell(e: Effect | None, s: _Settings) -> Cell:
    if e is None:
        return Cell(MISSING, None, align="right")
    text, value, number_format = _effect_number(e.estimate, e.unit, s)
    return Cell(text, value, number_format, align="right")


def _status_cell(f: Finding, s: _Settings) -> Cell:
    return Cell(
        STATUS_SHORT[s.lang][f.status], STATUS_SHORT[s.lang][f.status], emphasis=f.flagged, nowrap=True
    )


def _unit_words(e: Effect | None, s: _Settings) -> str:
    return unit_label(e.unit, s.lang) if e is not None else ""


# --------------------------------------------------------------------------------------------------
# Findings: tables and blocks


def _finding_table(
    key: str,
    title: str,
    findings: list[Finding],
    s: _Settings,
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
        diff_head = t["col_diff"] + (f" ({_unit_words(findings[0].raw, s)})" if unit else "")
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
        row += [_rounded_cell(f.n_women, s), _rounded_cell(f.n_men, s)]
        small = _small(f, s)
        any_small = any_small or small
        if dimension == "participation":
            if small:
                row += _hidden(4)
            else:
                row += [
                    _num(f.women_value, s, 1),
                    _num(f.reference_value, s, 1),
                    _effect_cell(f.raw, s),
                    _ci_cell(f.raw, s),
                ]
        else:
            decimals = 0 if f.category == "cost_sek" else 1
            fmt = "#,##0" if decimals == 0 else "0.0"
            if small:
                row += _hidden(5)
            else:
                row += [
                    _hidden(1)[0]
                    if _withheld(f, f.women_value)
                    else _num(f.women_value, s, decimals, fmt=fmt),
                    _hidden(1)[0] if _withheld(f, f.men_value) else _num(f.men_value, s, decimals, fmt=fmt),
                    _effect_cell(f.raw, s),
                    _ci_cell(f.raw, s),
                    _effect_cell(f.adjusted, s),
                ]
        row.append(_status_cell(f, s))
        rows.append(row)
    note = t["rounded_note"]
    if any_small or any(c.suppressed for r in rows for c in r):
        note = f"{note} {t['small_n_note'].format(t=s.threshold)}"
    return Table(key=key, title=title, header=header, rows=rows, note=note, label_columns=label_columns)


def _finding_block(f: Finding, s: _Settings) -> FindingBlock:
    t = s.t
    facts: list[tuple[str, str]] = []
    notes = [note_text(code, s.lang) for code in f.notes]
    if f.omitted_covariates:
        notes.append(omitted_text(f, s.lang))
    if _small(f, s):
        notes.insert(0, t["too_few"].format(t=s.threshold))
    else:
        if f.dimension == "participation":
            facts.append((t["fact_share_women"], fmt_percent(f.women_value, s.lang)))
            if f.reference_value is not None:
                facts.append((t["fact_target"], fmt_percent(f.reference_value, s.lang)))
        else:
            facts.append((t["fact_women"], _value_text(f, f.women_value, s)))
            facts.append((t["fact_men"], _value_text(f, f.men_value, s)))
        facts.append((t["fact_raw"], _effect_text(f.raw, s)))
        if f.adjusted is not None and f.adjusted.estimate is not None:
            facts.append((t["fact_adjusted"], _effect_text(f.adjusted, s)))
        if f.risk_ratio is not None and f.risk_ratio.estimate is not None:
            facts.append((t["fact_ratio"], _effect_text(f.risk_ratio, s)))
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
    n_text = t["n_people"].format(w=_rounded_text(f.n_women, s), m=_rounded_text(f.n_men, s))
    if f.n_other and not count_is_safe(f.n_other, s.threshold):
        n_text += t["n_other_few"].format(t=s.threshold)
    elif f.n_other:
        n_text += t["n_other"].format(o=_rounded_text(f.n_other, s))
    facts.append((t["fact_n"], n_text))
    return FindingBlock(
        id=f.id,
        title=_finding_title(f, s),
        status=f.status,
        status_label=STATUS[s.lang][f.status],
        explanation=_explanation(f, s),
        facts=facts,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------------
# Sections


def _overview_counts(findings: list[Finding], s: _Settings) -> Table:
    t = s.t
    header = [t["col_area"], t["col_comparisons"], t["col_flagged"], t["col_explained"],
              STATUS_SHORT[s.lang]["uncertain"], t["col_none"]]
    rows = []
    for dim in DIMENSIONS:
        part = [f for f in findings if f.dimension == dim]
        if not part:
            continue
        counts = [len(part)] + [sum(f.status == st for f in part) for st in STATUSES]
        rows.append(
            [Cell(DIMENSION[s.lang][dim], DIMENSION[s.lang][dim])]
            + [
                Cell(fmt_number(c, s.lang), c, "0", align="right", emphasis=(i == 1 and c > 0))
                for i, c in enumerate(counts)
            ]
        )
    return Table(key="overview", title=t["overview_head"], header=header, rows=rows)


@dataclass
class _Participants:
    women: float | None = None
    men: float | None = None
    exact: bool = True  # False: summed over interventions from the findings' published group sizes
    enrolments: bool = False  # summed over interventions: a person in two counts twice
    excluded: list[str] = field(default_factory=list)  # interventions left out of the sums

    def text(self, value: float | None, s: _Settings) -> str:
        if value is None:
            return MISSING
        if self.exact:
            return fmt_count(value, s.threshold, s.lang)
        return fmt_number(value, s.lang) if value == 0 else f"{s.t['approx']} {fmt_number(value, s.lang)}"


def _participants(
    findings: list[Finding], s: _Settings, topics: dict[str, list[ResultTable]]
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
            return _Participants(_rounded(f.n_women, s), _rounded(f.n_men, s))
    by_intervention = {f.intervention: f for f in part if f.intervention}
    if not by_intervention or s.intervention is not None:
        return _Participants()
    safe = {i: f for i, f in by_intervention.items() if not _small(f, s)}
    return _Participants(
        _rounded(sum(f.n_women or 0 for f in safe.values()), s),
        _rounded(sum(f.n_men or 0 for f in safe.values()), s),
        exact=False,
        enrolments=len(safe) > 1,
        excluded=sorted(set(by_intervention) - set(safe)),
    )


def _sex_code(label: Any) -> str | None:
    text = str(label[-1] if isinstance(label, tuple) else label).strip().lower()
    if text in ("women", "kvinnor", "kvinna", "k", "female"):
        return "women"
    if text in ("men", "män", "man", "m", "male"):
        return "men"
    return None


def _matches_intervention(label: Any, s: _Settings) -> bool:
    """A row or column label naming the chosen intervention: its id, its name or 'INS03 Jobbcoach Mora'."""
    if s.intervention is None:
        return False
    text = str(label)
    return text in (s.intervention, s.names.get(s.intervention)) or text.startswith(f"{s.intervention} ")


def _participants_from_tables(tables: list[ResultTable], s: _Settings) -> tuple[float, float] | None:
    """The published numbers of women and men in the association's (or the intervention's) row."""
    for rt in tables:
        if rt.kind != "counts":
            continue
        frame, mask = rt.frame, _mask(rt)
        cols = {code: c for c in frame.columns if (code := _sex_code(c)) is not None}
        if set(cols) != {"women", "men"}:
            continue
        labels = [_row_key(idx) for idx in frame.index]
        wanted = None
        for i, lab in enumerate(labels):
            if s.intervention is None and any(_is_total(x) for x in lab):
                wanted = i
            elif s.intervention is not None and any(_matches_intervention(x, s) for x in lab):
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


def _row_key(idx: Any) -> tuple[Any, ...]:
    return idx if isinstance(idx, tuple) else (idx,)


def _summary(
    s: _Settings,
    findings: list[Finding],
    prev: list[Finding] | None,
    prev_label: str,
    topics: dict[str, list[ResultTable]],
    prev_topics: dict[str, list[ResultTable]],
) -> Section:
    t = s.t
    sec = Section(id="sammanfattning" if s.lang == "sv" else "summary", title=t["summary"])
    if s.intervention is None:
        what = t["what_board"].format(org=s.organisation) if s.organisation else t["what_board_no_org"]
    else:
        what = t["what_steering"].format(name=s.name(s.intervention))
    period = t["period_year"].format(year=s.year) if s.year is not None else t["period_all"]
    sec.add(Paragraph(t["summary_lead"].format(what=what, period=period), style="lead"))

    people = _participants(findings, s, topics)
    women, men = people.women, people.men
    flagged = sorted((f for f in findings if f.flagged), key=_status_sort)
    explained = sorted((f for f in findings if f.status == "explained"), key=_status_sort)
    figures: list[KeyFigure] = []
    if women is not None and men is not None:
        share = ""
        if count_is_safe(women, s.threshold) and count_is_safe(men, s.threshold) and women + men > 0:
            share = t["kf_share"].format(share=fmt_percent(100 * women / (women + men), s.lang, 0))
        figures.append(KeyFigure(t["kf_women"], people.text(women, s), share))
        share_m = ""
        if share:
            share_m = t["kf_share"].format(share=fmt_percent(100 * men / (women + men), s.lang, 0))
        figures.append(KeyFigure(t["kf_men"], people.text(men, s), share_m))
    interventions = sorted({f.intervention for f in findings if f.intervention})
    if s.intervention is None and interventions:
        figures.append(KeyFigure(t["kf_interventions"], str(len(interventions))))
    figures.append(KeyFigure(t["kf_flagged"], str(len(flagged)), t["kf_comparisons"].format(n=len(findings))))
    figures.append(KeyFigure(t["kf_explained"], str(len(explained))))
    sec.add(KeyFigures(figures))
    if people.enrolments:
        sec.add(Paragraph(t["kf_enrolments_note"], style="note"))
    if people.excluded:
        names = join_words((s.name(i) for i in people.excluded), s.lang)
        sec.add(Paragraph(t["kf_excluded"].format(names=names), style="note"))

    if s.intervention is None and interventions:
        names = join_words((s.name(i) for i in interventions), s.lang)
        sec.add(Paragraph(t["interventions_list"].format(n=len(interventions), names=names)))

    sub = sec.sub("flagged", t["flagged_head"])
    if not flagged:
        sub.add(Paragraph(t["flagged_none"]))
    else:
        lead = t["flagged_count_one"] if len(flagged) == 1 else t["flagged_count"].format(n=len(flagged))
        # Every possible unjustified difference is named on the summary page (issue 12), briefly.
        sub.add(Paragraph(lead), BulletList([_explanation(f, s, brief=True) for f in flagged]))

    sub = sec.sub("explained", t["explained_head"])
    if not explained:
        sub.add(Paragraph(t["explained_none"]))
    else:
        lead = (
            t["explained_count_one"] if len(explained) == 1 else t["explained_count"].format(n=len(explained))
        )
        bullets = [_explanation(f, s, brief=True) for f in explained[:MAX_EXPLAINED_BULLETS]]
        sub.add(Paragraph(lead), BulletList(bullets))

    sub = sec.sub("overview", t["overview_head"])
    sub.add(_overview_counts(findings, s))

    sub = sec.sub("change", t["change_head"])
    sub.add(*_change_paragraphs(s, findings, prev, prev_label, topics, prev_topics))

    sub = sec.sub("todo", t["todo_head_board" if s.intervention is None else "todo_head_steering"])
    if flagged:
        sub.add(BulletList(t["todo_board" if s.intervention is None else "todo_steering"].split("|")))
    else:
        sub.add(Paragraph(t["todo_nothing"]))
    return sec


def _short(f: Finding, s: _Settings) -> str:
    return _finding_title(f, s).replace(f"{DIMENSION[s.lang][f.dimension]}: ", "")


def _share_of_women(people: _Participants, s: _Settings) -> float | None:
    w, m = people.women, people.men
    if w is None or m is None or w + m <= 0:
        return None
    if not (count_is_safe(w, s.threshold) and count_is_safe(m, s.threshold)):
        return None
    return 100 * w / (w + m)


def _change_paragraphs(
    s: _Settings,
    findings: list[Finding],
    prev: list[Finding] | None,
    prev_label: str,
    topics: dict[str, list[ResultTable]],
    prev_topics: dict[str, list[ResultTable]],
) -> list[Paragraph | BulletList]:
    t = s.t
    if prev is None:
        return [Paragraph(t["change_none"])]
    share_now = _share_of_women(_participants(findings, s, topics), s)
    share_before = _share_of_women(_participants(prev, s, prev_topics), s)
    changes = compare_years(findings, prev)
    out: list[Paragraph | BulletList] = []
    new = [c for c in changes.values() if c.code == "new"]
    gone = [c for c in changes.values() if c.code == "resolved"]
    kept = [c for c in changes.values() if c.status_now == "unjustified" and c.status_before == "unjustified"]
    untested = [c for c in changes.values() if c.code in ("changed_not_established", "not_compared")
                and "unjustified" in (c.status_now, c.status_before)]
    if not (new or kept or gone or untested):
        out.append(Paragraph(t["change_same"].format(prev=prev_label)))
    else:
        # A status counts as new or resolved only when the change itself is tested and established.
        counts = t["change_counts"].format(prev=prev_label, new=len(new), kept=len(kept), gone=len(gone),
                                           untested=len(untested))
        # Each change that involves a possible unjustified difference, named with its test.
        now_by_id = {f.id: f for f in findings}
        before_by_id = {f.id: f for f in prev}
        listed = sorted(new + gone + untested, key=lambda c: c.id)
        bullets = []
        for c in listed:
            f = now_by_id.get(c.id) or before_by_id[c.id]
            before = STATUS_SHORT[s.lang][c.status_before] if c.status_before else t["not_compared"]
            current = STATUS_SHORT[s.lang][c.status_now] if c.status_now else t["not_compared"]
            this_year = str(s.year) if s.year is not None else ("i år" if s.lang == "sv" else "this year")
            bullets.append(f"{_short(f, s)}: {before.lower()} {prev_label} → {current.lower()} {this_year}. "
                           f"{change_text(c, prev_label, s.lang)}")
        out.append(Paragraph(f"{counts} {t['change_list']}" if bullets else counts))
        if bullets:
            out.append(BulletList(bullets))
    if share_now is not None and share_before is not None:
        out.append(
            Paragraph(
                t["change_share"].format(
                    now=fmt_percent(share_now, s.lang, 0),
                    prev=prev_label,
                    before=fmt_percent(share_before, s.lang, 0),
                )
            )
        )
    return out


def _findings_section(s: _Settings, findings: list[Finding]) -> Section:
    t = s.t
    sec = Section(id="skillnader" if s.lang == "sv" else "differences", title=t["findings"])
    sec.add(Paragraph(t["findings_lead"]))
    shown = [f for f in findings if f.status != "none" and not _small(f, s)]
    pp = [f for f in shown if _effective(f).unit == "pp" and _effective(f).estimate is not None]
    if pp:
        rows: list[dict[str, Any]] = []
        for f in sorted(pp, key=_status_sort):
            e = _effective(f)
            rows.append(
                {
                    "label": _short(f, s),
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
                x_title=t["diff_axis"].format(unit=_unit_words(pp[0].raw, s)),
                left_label=t["lower_women"],
                right_label=t["higher_women"],
                status_order=list(STATUS_SHORT[s.lang].values()),
            )
        )
    flagged = sorted((f for f in findings if f.flagged), key=_status_sort)
    explained = sorted((f for f in findings if f.status == "explained"), key=_status_sort)
    for items, subsection, none in (
        (flagged, "flagged", "findings_none_flagged"),
        (explained, "explained", "findings_none_explained"),
    ):
        blocks: list[Block] = [_finding_block(f, s) for f in items] or [Paragraph(t[none])]
        sec.sub(subsection, t[f"findings_{subsection}"]).add(*blocks)
    uncertain = sorted((f for f in findings if f.status == "uncertain"), key=_status_sort)
    if uncertain:
        sec.sub("uncertain", STATUS[s.lang]["uncertain"]).add(*[_finding_block(f, s) for f in uncertain])
    return sec


def _participation_section(
    s: _Settings, findings: list[Finding], topics: dict[str, list[ResultTable]]
) -> Section:
    t = s.t
    sec = Section(id="deltagande" if s.lang == "sv" else "participation", title=t["participation"])
    part = _sorted(f for f in findings if f.dimension == "participation")
    if not part and not topics.get("participation") and not topics.get("target"):
        return sec
    sec.add(Paragraph(t["participation_lead"]))
    rows = []
    for f in part:
        if _small(f, s) or f.women_value is None:
            continue
        low, high = _wilson(f.women_value, (f.n_women or 0) + (f.n_men or 0))
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
    table = _finding_table(
        "participation_findings", t["participation_table"], part, s, "participation", with_intervention=True
    )
    if table is not None:
        sec.add(table)
    tables = [x for x in (_convert(rt, s) for rt in topics.get("participation", [])) if x is not None]
    if tables:
        sec.sub("participants", t["participants_sub"]).add(*tables)
    targets = [x for x in (_convert(rt, s) for rt in topics.get("target", [])) if x is not None]
    if targets:
        sec.sub("target", t["target_sub"]).add(*targets)
    return sec


def _rate_section(
    s: _Settings, findings: list[Finding], topics: dict[str, list[ResultTable]], dimension: str
) -> Section:
    t = s.t
    ids = {"component": ("delinsatser", "components"), "outcome": ("resultat", "outcomes")}[dimension]
    sec = Section(id=ids[0] if s.lang == "sv" else ids[1], title=t[dimension])
    part = [f for f in findings if f.dimension == dimension]
    tables = [x for x in (_convert(rt, s) for rt in topics.get(dimension, [])) if x is not None]
    if not part and not tables:
        return sec
    sec.add(Paragraph(t[f"{dimension}_lead"]))
    scope = s.intervention  # None: the association as a whole
    main = sorted((f for f in part if f.intervention == scope), key=lambda f: f.category)
    where = s.name(scope).lower() if scope is None else s.name(scope)
    what = DIMENSION[s.lang][dimension]
    if main:
        sec.add(*_rate_chart(f"{dimension}-rates", main, s, what, where))
        table = _finding_table(
            f"{dimension}_overall",
            t["rate_table_overall"].format(what=what, where=where),
            main,
            s,
            dimension,
            with_intervention=False,
        )
        if table is not None:
            sec.add(table)
    per = _sorted(f for f in part if f.intervention is not None and f.intervention != scope)
    if per:
        table = _finding_table(
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


def _rate_chart(key: str, findings: list[Finding], s: _Settings, what: str, where: str) -> list[Figure]:
    t = s.t
    rows: list[dict[str, Any]] = []
    described: list[str] = []
    for f in findings:
        if _small(f, s):
            continue
        label = category_label(f.category, s.lang)
        parts = []
        for sex, value, n in (("women", f.women_value, f.n_women), ("men", f.men_value, f.n_men)):
            if value is None:
                continue
            low, high = _wilson(value, n or 0)
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


def _resource_section(
    s: _Settings,
    findings: list[Finding],
    topics: dict[str, list[ResultTable]],
    decompositions: dict[str, dict[str, Any]],
) -> Section:
    t = s.t
    sec = Section(id="resurser" if s.lang == "sv" else "resources", title=t["resource"])
    part = [f for f in findings if f.dimension == "resource"]
    tables = [x for x in (_convert(rt, s) for rt in topics.get("resource", [])) if x is not None]
    decs = _decompositions(decompositions, s)
    if not part and not tables and not decs:
        return sec
    sec.add(Paragraph(t["resource_lead"]))
    for category in dict.fromkeys(f.category for f in sorted(part, key=lambda f: f.category)):
        group = _sorted(f for f in part if f.category == category and not _small(f, s))
        effects = [(f, _effective(f)) for f in group]
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
                    unit=_unit_words(effects[0][1], s) if unit != "relative" else "%"
                ),
                left_label=t["lower_women"],
                right_label=t["higher_women"],
                status_order=list(STATUS_SHORT[s.lang].values()),
            )
        )
    table = _finding_table(
        "resource_findings", t["resource_table"], _sorted(part), s, "resource", with_intervention=True
    )
    if table is not None:
        sec.add(table)
    sec.add(*tables)
    if decs:
        sub = sec.sub("decomposition", t["decomposition_sub"])
        sub.add(Paragraph(t["decomposition_lead"]))
        for i, dec in enumerate(decs):
            if i < MAX_DECOMPOSITION_CHARTS:
                sub.add(_decomposition_figure(dec, s))
        sub.add(_decomposition_table(decs, s))
    return sec


@dataclass
class _Decomposition:
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


def _decompositions(raw: dict[str, dict[str, Any]], s: _Settings) -> list[_Decomposition]:
    """Women − men decompositions (the twofold one against the pooled model), whichever group the
    analysis called A; decompositions over fewer women or men than the threshold are left out."""
    out = []
    for key, d in raw.items():
        if not isinstance(d, dict) or "twofold" not in d:
            continue
        # Keys look like "hours:INS07" or "resource:all:hours"; the dict may also say it outright.
        parts = key.split(":")
        named = [p for p in parts if p in RESOURCE_UNITS]
        category = str(
            d.get("resource") or d.get("category") or (named[0] if named else d.get("outcome", ""))
        )
        intervention = d.get("intervention")
        if "intervention" not in d:
            rest = [p for p in parts if p not in RESOURCE_UNITS and p not in ("resource", "all", "")]
            intervention = rest[0] if rest else None
        if s.intervention is not None and intervention != s.intervention:
            continue
        twofold = d["twofold"]
        ref = next((r for r in ("pooled", "neumark", "0.5", "0") if isinstance(twofold.get(r), dict)), None)
        if ref is None:
            continue
        women_first = str(d.get("group_a", "")).lower() in (
            "women",
            "kvinnor",
            "k",
            "f",
            "female",
            "1",
            "true",
        )
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
            _Decomposition(
                key=key,
                category=category,
                intervention=intervention if isinstance(intervention, str) else None,
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


def _decomposition_figure(d: _Decomposition, s: _Settings) -> Figure:
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


def _decomposition_table(decs: list[_Decomposition], s: _Settings) -> Table:
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
                _num(d.women_mean, s, decimals, fmt=fmt),
                _num(d.men_mean, s, decimals, fmt=fmt),
                _num(d.gap, s, decimals, fmt=sfmt, signed=True),
                _num(d.explained, s, decimals, fmt=sfmt, signed=True),
                _num(d.unexplained, s, decimals, fmt=sfmt, signed=True),
            ]
        )
    return Table(key="decomposition", title=t["dec_table"], header=header, rows=rows, label_columns=2)


def _intersectional_section(s: _Settings, topics: dict[str, list[ResultTable]]) -> Section:
    t = s.t
    sec = Section(id="intersektionellt" if s.lang == "sv" else "intersectional", title=t["intersectional"])
    sec.add(Paragraph(t["intersectional_lead"]))
    tables: list[Block] = [x for x in (_convert(rt, s) for rt in topics.get("intersectional", [])) if x]
    sec.add(*(tables or [Paragraph(t["intersectional_none"], style="note")]))
    return sec


def _trend_section(
    s: _Settings,
    findings: list[Finding],
    prev: list[Finding] | None,
    prev_label: str,
    topics: dict[str, list[ResultTable]],
    prev_topics: dict[str, list[ResultTable]],
) -> Section:
    t = s.t
    sec = Section(id="utveckling" if s.lang == "sv" else "trend", title=t["trend"])
    sec.add(Paragraph(t["trend_lead"]))
    added = False
    for rt in topics.get("trend", []):
        table = _convert(rt, s)
        if table is None:
            continue
        figure = _trend_figure(rt, s)
        if figure is not None:
            sec.add(figure)
        sec.add(table)
        added = True
    if prev is not None:
        sec.add(_yoy_table(s, findings, prev, prev_label, topics, prev_topics))
        changed = _status_changes(s, findings, prev, prev_label)
        if changed is not None:
            sec.add(changed)
        added = True
    if not added:
        sec.add(Paragraph(t["trend_none"], style="note"))
    return sec


def _yoy_table(
    s: _Settings,
    findings: list[Finding],
    prev: list[Finding],
    prev_label: str,
    topics: dict[str, list[ResultTable]],
    prev_topics: dict[str, list[ResultTable]],
) -> Table:
    t = s.t
    now_people = _participants(findings, s, topics)
    before_people = _participants(prev, s, prev_topics)
    w_now, m_now = now_people.women, now_people.men
    w_before, m_before = before_people.women, before_people.men
    rows: list[list[Cell]] = []

    def count_row(label: str, now: float | None, before: float | None) -> None:
        safe = count_is_safe(now, s.threshold) and count_is_safe(before, s.threshold)
        change = (now - before) if safe and now is not None and before is not None else None
        rows.append(
            [
                Cell(label, label),
                _count_cell(before, s),
                _count_cell(now, s),
                _num(change, s, 0, fmt="+#,##0;-#,##0;0", signed=True),
            ]
        )

    count_row(t["yoy_participants_w"], w_now, w_before)
    count_row(t["yoy_participants_m"], m_now, m_before)

    sh_now, sh_before = _share_of_women(now_people, s), _share_of_women(before_people, s)
    rows.append(
        [
            Cell(t["yoy_share"], t["yoy_share"]),
            _num(sh_before, s, 1),
            _num(sh_now, s, 1),
            _num(
                None if sh_now is None or sh_before is None else sh_now - sh_before,
                s,
                1,
                fmt="+0.0;-0.0;0.0",
                signed=True,
            ),
        ]
    )
    for label, status in ((t["yoy_flagged"], "unjustified"), (t["yoy_explained"], "explained")):
        now = sum(f.status == status for f in findings)
        before = sum(f.status == status for f in prev)
        rows.append(
            [
                Cell(label, label),
                _num(before, s, 0, fmt="0"),
                _num(now, s, 0, fmt="0"),
                _num(now - before, s, 0, fmt="+0;-0;0", signed=True),
            ]
        )
    header = [t["yoy_measure"], t["yoy_before"].format(prev=prev_label), t["yoy_now"], t["yoy_change"]]
    note = "" if now_people.exact and before_people.exact else t["rounded_note"]
    return Table(
        key="year_on_year", title=t["yoy_table"].format(prev=prev_label), header=header, rows=rows, note=note
    )


def _status_changes(
    s: _Settings, findings: list[Finding], prev: list[Finding], prev_label: str
) -> Table | None:
    t = s.t
    now = {f.id: f for f in findings}
    before = {f.id: f for f in prev}
    changes = compare_years(findings, prev)
    rows = []
    for ident in sorted(set(now) | set(before)):
        a, b = before.get(ident), now.get(ident)
        status_a = a.status if a else None
        status_b = b.status if b else None
        if status_a == status_b or {status_a, status_b} <= {None, "none"}:
            continue
        f = b or a
        assert f is not None
        label = _short(f, s)
        change = changes[ident]
        rows.append(
            [
                Cell(DIMENSION[s.lang][f.dimension], DIMENSION[s.lang][f.dimension]),
                Cell(label, label),
                Cell(STATUS_SHORT[s.lang][status_a] if status_a else t["not_compared"]),
                Cell(
                    STATUS_SHORT[s.lang][status_b] if status_b else t["not_compared"],
                    emphasis=status_b == "unjustified",
                ),
                Cell(change_text(change, prev_label, s.lang)),
            ]
        )
    for row in rows:
        for cell in row[2:]:
            cell.value = cell.text
    if not rows:
        return None
    header = [t["col_area"], t["col_comparison"], t["col_before"].format(prev=prev_label), t["col_now"],
              "Förändringen prövad" if s.lang == "sv" else "Change tested"]
    return Table(
        key="status_changes",
        title=t["status_table"].format(prev=prev_label),
        header=header,
        rows=rows,
        label_columns=2,
    )


def _mask(rt: ResultTable) -> pd.DataFrame:
    """Which cells of the published frame are hidden (all False when the table says nothing)."""
    if rt.suppressed is None or rt.suppressed.shape != rt.frame.shape:
        return pd.DataFrame(False, index=rt.frame.index, columns=rt.frame.columns)
    return pd.DataFrame(rt.suppressed.to_numpy(dtype=bool), index=rt.frame.index, columns=rt.frame.columns)


def _is_total(label: Any) -> bool:
    return str(label).lower() in ("totalt", "total", "all", "alla")


def _trend_figure(rt: ResultTable, s: _Settings) -> Figure | None:
    """A chart by year of a table with a year axis and columns (or rows) for women and men.

    Counts become the share of women (computed from the published counts only); shares and means
    are drawn as one line per sex.
    """
    frame, mask = rt.frame, _mask(rt)
    if _year_level(frame.index) is None and _year_level(frame.columns) is not None:
        frame, mask = frame.T, mask.T
    level = _year_level(frame.index)
    if level is None:
        return None
    if frame.index.nlevels > 1:
        others = [i for i in range(frame.index.nlevels) if i != level]
        keep = [
            all(_is_total(idx[i]) for i in others)
            if s.intervention is None
            else any(_matches_intervention(idx[i], s) for i in others)
            for idx in frame.index
        ]
        frame, mask = frame[keep], mask[keep]
    by_sex = {code: c for c in frame.columns if (code := _sex_code(c)) is not None}
    share_col = next(
        (c for c in frame.columns if "andel kvinnor" in str(c).lower() or "share of women" in str(c).lower()),
        None,
    )
    counts = rt.kind in ("counts", "trend")
    if frame.empty or (len(by_sex) < 2 and share_col is None):
        return None
    rows: list[dict[str, Any]] = []
    for position, idx in enumerate(frame.index):
        year_value = finite(_row_key(idx)[level])
        if year_value is None:  # a total row
            continue
        year = int(year_value)
        if counts:
            share: float | None = None
            if share_col is not None and not bool(mask[share_col].iloc[position]):
                share = finite(frame[share_col].iloc[position])
            elif len(by_sex) == 2:
                w, m = (finite(frame[by_sex[x]].iloc[position]) for x in ("women", "men"))
                hidden = any(bool(mask[by_sex[x]].iloc[position]) for x in ("women", "men"))
                if w is not None and m is not None and not hidden and w + m > 0:
                    share = 100 * w / (w + m)
            if share is not None:
                rows.append(
                    {
                        "year": year,
                        "series": s.t["yoy_share"],
                        "value": share,
                        "text": fmt_percent(share, s.lang, 0),
                    }
                )
            continue
        for sex, col in by_sex.items():
            value = finite(frame[col].iloc[position])
            if value is not None and not bool(mask[col].iloc[position]):
                rows.append(
                    {
                        "year": year,
                        "series": SEX[s.lang][sex],
                        "value": value,
                        "text": fmt_number(value, s.lang, 1 if rt.kind == "means" else 0),
                    }
                )
    if len({r["year"] for r in rows}) < 2:
        return None
    title = rt.title_en if s.lang == "en" and rt.title_en else rt.title
    order = list(dict.fromkeys(r["series"] for r in rows))
    alt = (
        s.t["trend_chart_alt"].format(what_lower=(s.t["trend_share"] if counts else title).lower())
        + "; ".join(
            f"{label}: " + ", ".join(f"{r['year']} {r['text']}" for r in rows if r["series"] == label)
            for label in order
        )
        + "."
    )
    return charts.trend_chart(
        f"trend-{rt.key}",
        f"{s.t['trend_share']} – {title[:1].lower() + title[1:]}" if counts else title,
        alt,
        rows,
        y_title=s.t["share_axis"] if counts else "",
        series_order=order,
        percent=counts or rt.kind == "shares",
    )


def _year_level(index: pd.Index) -> int | None:
    names = [str(n).lower() if n is not None else "" for n in index.names]
    for i, name in enumerate(names):
        if name in ("year", "år", "ar"):
            return i
    if index.nlevels == 1:
        values = [finite(v) for v in index]
        if values and all(v is not None and 1990 <= v <= 2100 and v == int(v) for v in values):
            return 0
    return None


def _other_section(s: _Settings, topics: dict[str, list[ResultTable]]) -> Section:
    sec = Section(id="fler-tabeller" if s.lang == "sv" else "more-tables", title=s.t["other_tables"])
    sec.add(*[x for x in (_convert(rt, s) for rt in topics.get("other", [])) if x is not None])
    return sec


def _method_section(s: _Settings, analysis: Analysis, findings: list[Finding]) -> Section:
    t = s.t
    sec = Section(id="metod" if s.lang == "sv" else "method", title=t["method"])
    sec.add(Paragraph(t["method_lead"], style="lead"))
    period = t["m_period_year"].format(year=s.year) if s.year is not None else t["m_period_all"]
    sec.sub("data", t["m_data"]).add(Paragraph(t["m_data_text"].format(period_text=period)))

    sub = sec.sub("tests", t["m_tests"]).add(Paragraph(t["m_tests_text"]))
    used = _methods_used(analysis, s)
    if used:
        sub.add(Paragraph(t["m_methods_used"].format(items=join_words(used, s.lang))))

    # What the models really used (the analysis leaves out e.g. the year in a one-year report).
    names: list[Any] = list(dict.fromkeys(c for f in analysis.findings for c in f.adjusted_for))
    if not names:
        covariates = _lookup(s.config, "legitimate_covariates", "covariates", "adjust_for", "adjusted_for")
        names = list(covariates) if isinstance(covariates, list | tuple) else []
    cov_text = (
        t["m_adjust_covariates"].format(
            items=join_words(dict.fromkeys(covariate_label(str(c), s.lang) for c in names), s.lang)
        )
        if names
        else ""
    )
    sec.sub("adjust", t["m_adjust"]).add(Paragraph(t["m_adjust_text"].format(covariates=cov_text).strip()))

    q = finite(_lookup(s.config, "q_level", "fdr", "q", "q_threshold", "alpha")) or 0.05
    sec.sub("multiple", t["m_multiple"]).add(
        Paragraph(
            t["m_multiple_text"].format(q=fmt_number(q, s.lang, 2), q_pct=fmt_percent(100 * q, s.lang, 0))
        )
    )

    rules = sec.sub("rules", t["m_rules"]).add(
        BulletList(
            [t["m_rule_unjustified"], t["m_rule_explained"], t["m_rule_uncertain"], t["m_rule_none"],
             t["m_rule_participation"], t["m_rule_covariates"], t["m_rule_change"]]
        )
    )
    pp, rel = (
        finite(_lookup(s.config, "min_difference_pp")),
        finite(_lookup(s.config, "min_relative_resource_gap")),
    )
    if pp is not None and rel is not None:
        rules.add(
            Paragraph(
                t["m_rule_size"].format(pp=fmt_number(pp, s.lang), rel=fmt_percent(100 * rel, s.lang, 0))
            )
        )
    skipped = s.meta.get("not_compared")
    if isinstance(skipped, list) and skipped:
        if s.intervention is not None:
            skipped = [x for x in skipped if isinstance(x, dict) and x.get("intervention") == s.intervention]
        minimum = _lookup(s.config, "min_per_sex") or s.threshold
        if skipped:
            rules.add(Paragraph(t["m_not_compared"].format(n=len(skipped), k=minimum)))
    if analysis.decompositions:
        sec.sub("oaxaca", t["m_oaxaca"]).add(Paragraph(t["m_oaxaca_text"]))

    sub = sec.sub("disclosure", t["m_disclosure"])
    sub.add(
        Paragraph(t["m_disclosure_text"].format(t=s.threshold, t1=s.threshold - 1)),
        Paragraph(t["m_rounded"].format(t=s.threshold))
    )
    method = _lookup(s.config, "method", "disclosure_method")
    if method == "cell_key" or any("cell key" in (rt.note or "") for rt in analysis.tables.values()):
        sub.add(Paragraph(t["m_disclosure_cellkey"]))
    sec.sub("symbols", t["m_symbols"]).add(
        BulletList([t["m_symbol_suppressed"], t["m_symbol_missing"], t["m_symbol_ci"], t["m_symbol_pp"]])
    )
    return sec


def _methods_used(analysis: Analysis, s: _Settings) -> list[str]:
    seen: list[str] = []
    for f in analysis.findings:
        for effect in (f.raw, f.adjusted, f.risk_ratio):
            if effect is None or not effect.method:
                continue
            low = effect.method.lower()
            for key, text in METHODS[s.lang].items():
                if key in low and text not in seen:
                    seen.append(text)
    if analysis.decompositions and METHODS[s.lang]["oaxaca"] not in seen:
        seen.append(METHODS[s.lang]["oaxaca"])
    return seen


def _about(
    s: _Settings, title: str, findings: list[Finding], generated: str, previous: str | None
) -> list[tuple[str, str]]:
    from jamkoll import __version__ as version

    t = s.t
    about = [(t["about_report"], title)]
    if s.organisation:
        about.append((t["about_org"], s.organisation))
    about.append((t["about_year"], str(s.year) if s.year is not None else t["about_year_all"]))
    if s.intervention is not None:
        about.append((t["about_intervention"], s.name(s.intervention, with_id=True)))
    about.append((t["about_created"], generated))
    about.append((t["about_tool"], f"Jämkoll {version}"))
    about.append((t["about_threshold"], t["about_threshold_text"].format(t=s.threshold, t1=s.threshold - 1)))
    about.append(
        (
            t["about_comparisons"],
            t["about_comparisons_text"].format(
                n=len(findings),
                f=sum(f.flagged for f in findings),
                e=sum(f.status == "explained" for f in findings),
            ),
        )
    )
    if previous is not None:
        about.append((t["about_previous"], previous))
    about.append((t["about_symbols"], t["about_symbols_text"]))
    return about


def _number(sections: list[Section]) -> None:
    """Number tables and figures in reading order; the writers print 'Tabell 3. …'."""
    tables = figures = 0

    def walk(sec: Section) -> None:
        nonlocal tables, figures
        for block in sec.blocks:
            if isinstance(block, Table):
                tables += 1
                block.number = tables
            elif isinstance(block, Figure):
                figures += 1
                block.number = figures
        for child in sec.subsections:
            walk(child)

    for sec in sections:
        walk(sec)


# --------------------------------------------------------------------------------------------------
# The analysis' own tables


def _topic(key: str, rt: ResultTable) -> str:
    """Which section a table of the analysis belongs in: by its kind, then by words in its key or title."""
    by_kind = {
        "intersectional": "intersectional",
        "trend": "trend",
        "reference": "target",
        "budget": "resource",
    }
    if rt.kind in by_kind:
        return by_kind[rt.kind]
    low = key.lower()
    for topic, words in _TOPIC_WORDS:
        if any(w in low for w in words):
            return topic
    if _year_level(rt.frame.index) is not None:
        return "trend"
    title = rt.title.lower()
    for topic, words in _TOPIC_WORDS:
        if any(w in title for w in words):
            return topic
    return "other"


def _sort_tables(analysis: Analysis, s: _Settings) -> dict[str, list[ResultTable]]:
    topics: dict[str, list[ResultTable]] = {}
    for key, rt in analysis.tables.items():
        topics.setdefault(_topic(key, rt), []).append(rt)
    return topics


def _convert(rt: ResultTable, s: _Settings) -> Table | None:
    """A published ResultTable as a report table: labels in words, numbers formatted, hidden cells '..'.

    In a steering-group report only the chosen intervention's rows (or column) are kept; a table
    without an intervention axis is left out there, since it describes the whole association.
    """
    frame = rt.frame
    if frame is None or frame.empty:
        return None
    mask = _mask(rt)
    if s.intervention is not None and not s.restricted:
        restricted = _restrict(frame, mask, s)
        if restricted is None:
            return None
        frame, mask = restricted
        if frame.empty:
            return None

    has_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
    index_names = [n for n in frame.index.names] if has_index else []
    header = [_capital(header_label(n, s.lang)) if n is not None else "" for n in index_names]
    for col in frame.columns:
        parts = col if isinstance(col, tuple) else (col,)
        header.append(_capital(" – ".join(header_label(p, s.lang) for p in parts if str(p) != "")))

    formats = {col: _column_format(frame[col], col, rt.kind) for col in frame.columns}
    rows: list[list[Cell]] = []
    for position, (idx, row) in enumerate(frame.iterrows()):
        labels = [_label(v, s) for v in _row_key(idx)] if has_index else []
        total = any(lab.lower() in ("totalt", "total", "alla", "all") for lab in labels)
        cells = [Cell(lab, lab, emphasis=total) for lab in labels]
        for j, col in enumerate(frame.columns):
            cells.append(_table_cell(row[col], bool(mask.iat[position, j]), formats[col], rt.kind, s, total))
        rows.append(cells)
    label_columns = len(index_names)
    if not has_index:
        label_columns = sum(1 for col in frame.columns if formats[col] == "text")
    title = rt.title_en if s.lang == "en" and rt.title_en else rt.title
    table = Table(key=rt.key, title=title, header=header, rows=rows, label_columns=max(label_columns, 0))
    note = (rt.note_en or rt.note) if s.lang == "en" else rt.note
    if table.has_suppressed:
        generic = s.t["generic_note"]
        note = f"{note} {generic}".strip() if ".." not in note else note
    table.note = note
    return table


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _label(value: Any, s: _Settings) -> str:
    text = str(value)
    if text in s.names:
        return s.name(text)
    return header_label(value, s.lang)


def _column_format(series: pd.Series, col: Any, kind: str) -> str:
    """'int', 'dec1' or 'text' for a column of a published table."""
    label = " ".join(str(p) for p in (col if isinstance(col, tuple) else (col,))).lower()
    numbers = pd.to_numeric(series, errors="coerce")
    if numbers.notna().sum() == 0 and series.notna().sum() > 0:
        return "text"
    if kind == "means" or any(w in label for w in ("%", "share", "andel", "rate", "medel", "mean", "median")):
        return "dec1"
    values = numbers.dropna()
    if bool(((values - values.round()).abs() < 1e-9).all()):
        return "int"
    return "dec1"


def _table_cell(value: Any, hidden: bool, fmt: str, kind: str, s: _Settings, total: bool) -> Cell:
    if hidden:
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    if fmt == "text":
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return Cell(MISSING, None)
        text = header_label(value, s.lang)
        return Cell(text, text, emphasis=total)
    number = finite(value)
    if number is None:
        return Cell(MISSING, None, align="right")
    if fmt == "int":
        # Defence in depth: a count of people between 1 and the threshold is never printed, even
        # if a table reached the report without disclosure control. Budgets and the target
        # population (public statistics) are not counts of participants.
        if kind not in ("budget", "reference") and not count_is_safe(number, s.threshold):
            return Cell(SUPPRESSED, None, suppressed=True, align="right")
        return Cell(fmt_number(number, s.lang, 0), int(round(number)), "#,##0", align="right", emphasis=total)
    return Cell(fmt_number(number, s.lang, 1), number, "0.0", align="right", emphasis=total)


def _restrict(
    frame: pd.DataFrame, mask: pd.DataFrame, s: _Settings
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The chosen intervention's rows (or column) of a table; None when the table has no such axis."""
    index = frame.index
    for level in range(index.nlevels):
        keep = [_matches_intervention(v, s) for v in index.get_level_values(level)]
        if any(keep):
            return frame[keep], mask[keep]
    for col in frame.columns:
        parts = col if isinstance(col, tuple) else (col,)
        if any(_matches_intervention(p, s) for p in parts):
            return frame[[col]], mask[[col]]
    return None
