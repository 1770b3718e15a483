"""Development over the years: the analysis' trend tables, the year-on-year table and status changes."""

from __future__ import annotations

from typing import Any

from jamkoll.analysis.change import compare_years
from jamkoll.analysis.results import Finding, ResultTable
from jamkoll.reports import charts
from jamkoll.reports.explain import change_text
from jamkoll.reports.labels import table_title
from jamkoll.reports.model import Cell, Figure, Paragraph, Section, Table
from jamkoll.reports.sections.cells import count_cell, number_cell
from jamkoll.reports.sections.findings import short_title, status_word
from jamkoll.reports.sections.participants import count_participants, share_of_women
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.sections.tables import (
    convert_table,
    hidden_mask,
    is_total,
    matches_intervention,
    row_key,
    sex_code,
    year_level,
)
from jamkoll.reports.text import DIMENSION, SEX, count_is_safe, finite, fmt_number, fmt_percent


def trend_section(
    s: Settings,
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
        table = convert_table(rt, s)
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
    s: Settings,
    findings: list[Finding],
    prev: list[Finding],
    prev_label: str,
    topics: dict[str, list[ResultTable]],
    prev_topics: dict[str, list[ResultTable]],
) -> Table:
    t = s.t
    now_people = count_participants(findings, s, topics)
    before_people = count_participants(prev, s, prev_topics)
    w_now, m_now = now_people.women, now_people.men
    w_before, m_before = before_people.women, before_people.men
    rows: list[list[Cell]] = []

    def count_row(label: str, now: float | None, before: float | None) -> None:
        safe = count_is_safe(now, s.threshold) and count_is_safe(before, s.threshold)
        change = (now - before) if safe and now is not None and before is not None else None
        rows.append(
            [
                Cell(label, label),
                count_cell(before, s),
                count_cell(now, s),
                number_cell(change, s, 0, fmt="+#,##0;-#,##0;0", signed=True),
            ]
        )

    count_row(t["yoy_participants_w"], w_now, w_before)
    count_row(t["yoy_participants_m"], m_now, m_before)

    sh_now, sh_before = share_of_women(now_people, s), share_of_women(before_people, s)
    rows.append(
        [
            Cell(t["yoy_share"], t["yoy_share"]),
            number_cell(sh_before, s, 1),
            number_cell(sh_now, s, 1),
            number_cell(
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
                number_cell(before, s, 0, fmt="0"),
                number_cell(now, s, 0, fmt="0"),
                number_cell(now - before, s, 0, fmt="+0;-0;0", signed=True),
            ]
        )
    header = [t["yoy_measure"], t["yoy_before"].format(prev=prev_label), t["yoy_now"], t["yoy_change"]]
    note = "" if now_people.exact and before_people.exact else t["ckm_ref"]
    return Table(
        key="year_on_year", title=t["yoy_table"].format(prev=prev_label), header=header, rows=rows, note=note,
        caption=t["counts_year_on_year"] if not (now_people.enrolments or before_people.enrolments) else "",
    )


def _status_changes(
    s: Settings, findings: list[Finding], prev: list[Finding], prev_label: str
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
        label = short_title(f, s)
        change = changes[ident]
        rows.append(
            [
                Cell(DIMENSION[s.lang][f.dimension], DIMENSION[s.lang][f.dimension]),
                Cell(label, label),
                Cell(status_word(status_a, s)),
                Cell(
                    status_word(status_b, s),
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


def _trend_figure(rt: ResultTable, s: Settings) -> Figure | None:
    """A chart by year of a table with a year axis and columns (or rows) for women and men.

    Counts become the share of women (computed from the published counts only); shares and means
    are drawn as one line per sex.
    """
    frame, mask = rt.frame, hidden_mask(rt)
    if year_level(frame.index) is None and year_level(frame.columns) is not None:
        frame, mask = frame.T, mask.T
    level = year_level(frame.index)
    if level is None:
        return None
    if frame.index.nlevels > 1:
        others = [i for i in range(frame.index.nlevels) if i != level]
        keep = [
            all(is_total(idx[i]) for i in others)
            if s.intervention is None
            else any(matches_intervention(idx[i], s) for i in others)
            for idx in frame.index
        ]
        frame, mask = frame[keep], mask[keep]
    by_sex = {code: c for c in frame.columns if (code := sex_code(c)) is not None}
    share_col = next(
        (c for c in frame.columns if str(c) == "share_women" or "andel kvinnor" in str(c).lower()
         or "share of women" in str(c).lower()),
        None,
    )
    counts = rt.kind in ("counts", "trend")
    if frame.empty or (len(by_sex) < 2 and share_col is None):
        return None
    rows: list[dict[str, Any]] = []
    for position, idx in enumerate(frame.index):
        year_value = finite(row_key(idx)[level])
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
    title = table_title(rt, s.lang)
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
