"""The entry point: the whole report's content, built once from the analysis."""

from __future__ import annotations

import datetime as dt

from jamkoll.analysis.results import Analysis
from jamkoll.reports.governance import GovernanceSummary
from jamkoll.reports.governance_section import TEXT as GOVERNANCE_TEXT
from jamkoll.reports.governance_section import chapter_title, governance_section
from jamkoll.reports.model import Figure, ReportContext, Section, Table
from jamkoll.reports.phrases import LAYOUT
from jamkoll.reports.sections.findings import findings_section
from jamkoll.reports.sections.method import about_facts, method_section
from jamkoll.reports.sections.more import intersectional_section, other_section
from jamkoll.reports.sections.overview import summary_section
from jamkoll.reports.sections.participation import participation_section
from jamkoll.reports.sections.rates import rate_section
from jamkoll.reports.sections.resources import resource_section
from jamkoll.reports.sections.settings import previous_label, read_settings, select_findings
from jamkoll.reports.sections.tables import sort_tables
from jamkoll.reports.sections.trend import trend_section
from jamkoll.reports.text import check_lang


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
    s = read_settings(analysis, lang, intervention)
    findings = select_findings(analysis.findings, s)
    prev_findings = select_findings(previous.findings, s) if previous is not None else None
    prev_label = previous_label(previous, s)
    topics = sort_tables(analysis, s)
    prev_topics = sort_tables(previous, s) if previous is not None else {}

    sections = [
        summary_section(s, findings, prev_findings, prev_label, topics, prev_topics),
        findings_section(s, findings),
        participation_section(s, findings, topics),
        rate_section(s, findings, topics, "component"),
        rate_section(s, findings, topics, "outcome"),
        resource_section(s, findings, topics, analysis.decompositions),
        intersectional_section(s, topics),
        trend_section(s, findings, prev_findings, prev_label, topics, prev_topics),
        other_section(s, topics),
        *([governance_section(governance, lang, s.threshold, intervention)] if governance is not None else []),
        method_section(s, analysis, findings),
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
    about = about_facts(s, title, findings, generated, prev_label if previous is not None else None)
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
