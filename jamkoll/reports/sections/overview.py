"""The summary: key figures, the main differences, what changed since last year and what to do."""

from __future__ import annotations

from jamkoll.analysis.change import compare_years
from jamkoll.analysis.results import DIMENSIONS, STATUSES, Finding, ResultTable
from jamkoll.reports.explain import change_text
from jamkoll.reports.model import BulletList, Cell, KeyFigure, KeyFigures, Paragraph, Section, Table
from jamkoll.reports.sections.findings import explain_finding, short_title, status_sort, status_word
from jamkoll.reports.sections.participants import count_participants, share_of_women
from jamkoll.reports.sections.settings import MAX_EXPLAINED_BULLETS, Settings
from jamkoll.reports.text import DIMENSION, STATUS_SHORT, count_is_safe, fmt_number, fmt_percent, join_words


def summary_section(
    s: Settings,
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

    people = count_participants(findings, s, topics)
    women, men = people.women, people.men
    flagged = sorted((f for f in findings if f.flagged), key=status_sort)
    explained = sorted((f for f in findings if f.status == "explained"), key=status_sort)
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
        sub.add(Paragraph(lead), BulletList([explain_finding(f, s, brief=True) for f in flagged]))

    sub = sec.sub("explained", t["explained_head"])
    if not explained:
        sub.add(Paragraph(t["explained_none"]))
    else:
        lead = (
            t["explained_count_one"] if len(explained) == 1 else t["explained_count"].format(n=len(explained))
        )
        bullets = [explain_finding(f, s, brief=True) for f in explained[:MAX_EXPLAINED_BULLETS]]
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


def _overview_counts(findings: list[Finding], s: Settings) -> Table:
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


def _change_paragraphs(
    s: Settings,
    findings: list[Finding],
    prev: list[Finding] | None,
    prev_label: str,
    topics: dict[str, list[ResultTable]],
    prev_topics: dict[str, list[ResultTable]],
) -> list[Paragraph | BulletList]:
    t = s.t
    if prev is None:
        return [Paragraph(t["change_none"])]
    share_now = share_of_women(count_participants(findings, s, topics), s)
    share_before = share_of_women(count_participants(prev, s, prev_topics), s)
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
        bullets = []
        for c in sorted(new + gone + untested, key=lambda c: c.id):
            f = now_by_id.get(c.id) or before_by_id[c.id]
            before, current = status_word(c.status_before, s), status_word(c.status_now, s)
            this_year = str(s.year) if s.year is not None else ("i år" if s.lang == "sv" else "this year")
            bullets.append(f"{short_title(f, s)}: {before.lower()} {prev_label} → {current.lower()} {this_year}. "
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
