"""The sections that show the analysis' remaining tables: intersectional and other tables."""

from __future__ import annotations

from jamkoll.analysis.results import ResultTable
from jamkoll.reports.model import Block, Paragraph, Section
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.sections.tables import convert_table


def intersectional_section(s: Settings, topics: dict[str, list[ResultTable]]) -> Section:
    t = s.t
    sec = Section(id="intersektionellt" if s.lang == "sv" else "intersectional", title=t["intersectional"])
    sec.add(Paragraph(t["intersectional_lead"]))
    tables: list[Block] = [x for x in (convert_table(rt, s) for rt in topics.get("intersectional", [])) if x]
    sec.add(*(tables or [Paragraph(t["intersectional_none"], style="note")]))
    return sec


def other_section(s: Settings, topics: dict[str, list[ResultTable]]) -> Section:
    sec = Section(id="fler-tabeller" if s.lang == "sv" else "more-tables", title=s.t["other_tables"])
    sec.add(*[x for x in (convert_table(rt, s) for rt in topics.get("other", [])) if x is not None])
    return sec
