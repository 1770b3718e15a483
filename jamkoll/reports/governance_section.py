"""The governance chapter of the yearly report, built from a :class:`GovernanceSummary`.

"Jämställdhetsintegrering: plan, fynd, ansökningar och budget": the action plan's progress, actions
done and overdue, how the findings register was handled, whether the funded applications' goals were
met, the budget by sex against the target groups, checklists, activities and the share of board cases
with a gender-impact assessment. Only the existing
block types are used, so every writer lays it out unchanged.

Disclosure: the counts of people here (activity participants by sex) are printed only when they
are 0 or at least the threshold; a count from 1 to the threshold minus one is shown as ``..``.
Goal values arrive already withheld (``None``) when they rest on too few people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jamkoll.reports.charts import participation_chart
from jamkoll.reports.governance import NATIONAL_GOALS, GovernanceSummary
from jamkoll.reports.model import BulletList, Cell, Figure, Paragraph, Section, Table
from jamkoll.reports.text import MISSING, NBSP, SUPPRESSED, count_is_safe, finite, fmt_count, fmt_number

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Jämställdhetsintegrering: plan, fynd, ansökningar och budget",
        "lead": "Så arbetade {org} med jämställdhetsintegrering {year}: planen och dess åtgärder, hur fynden om "
                "möjliga omotiverade skillnader hanterades, om de beviljade projektens mål nåddes och hur "
                "budgeten fördelades mellan kvinnor och män.",
        "plan": "Handlingsplan och åtgärder",
        "plan_none": "Ingen antagen handlingsplan för året finns registrerad.",
        "plan_text": "{title}, revision {rev}{adopted}. Gäller för {orgs}.{next}",
        "adopted": ", antagen {date}",
        "next": " Nästa revidering senast {date}.",
        "goals_table": "Planens mål och åtgärder",
        "goals_caption": "Varje mål i planen, vilket jämställdhetspolitiskt delmål det stöder och hur många åtgärder "
                         "som är genomförda och försenade.",
        "goal": "Mål", "national": "Jämställdhetspolitiskt delmål", "cemr": "CEMR-artiklar",
        "actions": "Åtgärder", "done": "Genomförda", "overdue": "Försenade",
        "actions_table": "Åtgärder i planen",
        "actions_caption": "Planens åtgärder med ansvarig, slutdatum och läge.",
        "action": "Åtgärd", "owner": "Ansvarig", "due": "Klart senast", "status": "Läge",
        "status_planned": "Planerad", "status_ongoing": "Pågår", "status_done": "Genomförd",
        "status_cancelled": "Avbruten", "status_overdue": "Försenad",
        "changes": "Ändringar sedan förra revideringen:",
        "findings": "Fynd och hur de hanterades",
        "findings_none": "Fyndregistret har inga fynd för året.",
        "findings_table": "Fyndregistret under året",
        "findings_caption": "Antal fynd (möjliga omotiverade skillnader) efter hur styrgrupperna hanterade dem.",
        "what": "Fynd", "count": "Antal",
        "f_total": "Fynd totalt", "f_open": "Öppna", "f_justified": "Motiverade skillnader",
        "f_action": "Åtgärd planerad", "f_done": "Åtgärd genomförd", "f_overdue": "Åtgärd försenad",
        "f_recurring": "Återkommande från förra året",
        "applications": "Projektansökningar och deras mål",
        "applications_none": "Inga projektansökningar är registrerade för året.",
        "applications_text": "{n} ansökningar: {funded} beviljade, {rejected} avslagna och {pending} under beredning. "
                             "Av de beviljade projektens mål nåddes {met} av {measured} mätbara delmål för kvinnor "
                             "och män.",
        "apps_table": "Ansökningar och jämställdhetsmarkör",
        "apps_caption": "Varje ansökan med insats, beslut och jämställdhetsmarkör (0 = inte inriktad på "
                        "jämställdhet, 1 = väsentligt mål, 2 = huvudsakligt mål).",
        "application": "Ansökan", "intervention": "Insats", "decision": "Beslut", "marker": "Markör",
        "funded": "Beviljad", "rejected": "Avslagen", "pending": "Under beredning",
        "goals_fu_table": "Beviljade projekts mål: planerat och utfall",
        "goals_fu_caption": "Mätbara mål per kön: utgångsläge, målvärde och utfall ur insatsens inlästa uppgifter.",
        "indicator": "Indikator", "unit": "Enhet",
        "base_w": "Utgångsläge kvinnor", "base_m": "Utgångsläge män", "target_w": "Mål kvinnor",
        "target_m": "Mål män", "actual_w": "Utfall kvinnor", "actual_m": "Utfall män",
        "met_w": "Nått kvinnor", "met_m": "Nått män", "yes": "Ja", "no": "Nej",
        "goals_note": "{s} = utfallet visas inte: det bygger på färre än {t} personer eller kan inte mätas ännu.",
        "budget": "Budget per kön",
        "budget_none": "Ingen budget är inläst för året.",
        "budget_text": "Budgeten fördelas på kvinnor och män efter deltagarnas kostnader, personaltid eller tid i "
                       "insatsen under året. Av de pengar som nådde kvinnor och män gick {w} till kvinnor; "
                       "kvinnornas andel av målgrupperna var {t}.",
        "budget_table": "Budgeten fördelad på kvinnor och män",
        "budget_withheld": "Belopp som fördelas på färre än 5 personer redovisas inte (..), och inte heller de "
                           "belopp och andelar som de annars skulle kunna räknas fram ur.",
        "budget_caption": "Varje insats budget för året fördelad efter deltagarna, jämförd med kvinnornas andel av "
                          "insatsens målgrupp. Annat eller okänt kön redovisas för sig.",
        "budget_sek": "Budget (kr)", "women_sek": "Kvinnor (kr)", "men_sek": "Män (kr)",
        "other_sek": "Annat/okänt kön (kr)", "women_share": "Andel till kvinnor (%)",
        "target_share": "Kvinnor i målgruppen (%)", "basis": "Fördelat efter",
        "basis_cost": "kostnad", "basis_hours": "personaltid", "basis_days": "tid i insatsen",
        "basis_participants": "antal deltagare", "basis_mixed": "olika", "basis_": "–",
        "total": "Totalt",
        "budget_figure": "Andel av budgeten som nådde kvinnor, per insats",
        "budget_alt": "Stapeldiagram: andelen av varje insats budget som nådde kvinnor, med kvinnornas andel av "
                      "målgruppen som markering. {rows}",
        "bar_label": "Andel av budgeten till kvinnor", "ref_label": "Kvinnor i målgruppen",
        "x_title": "Andel kvinnor (%)",
        "checklists": "Checklistor",
        "checklists_none": "Inga checklistor är besvarade för året.",
        "checklists_table": "Besvarade checklistor",
        "checklists_caption": "Hur många frågor som besvarades och uppfylldes i varje checklista.",
        "checklist": "Checklista", "unit_col": "Enhet", "answered": "Besvarade", "of": "Frågor",
        "fulfilled": "Uppfyllda",
        "comments": "Kommentarer i checklistorna:",
        "activities": "Aktiviteter",
        "activities_none": "Inga aktiviteter är registrerade för året.",
        "activities_table": "Aktiviteter och deltagare per kön",
        "activities_caption": "Utbildningar, evenemang och andra aktiviteter med antal deltagare per kön.",
        "activity": "Aktivitet", "kind": "Slag", "date": "Datum", "women": "Kvinnor", "men": "Män",
        "other": "Annat/okänt kön",
        "kind_training": "Utbildning", "kind_event": "Evenemang", "kind_exhibition": "Utställning",
        "kind_theme_day": "Temadag", "kind_other": "Annat",
        "count_note": "Antal mellan 1 och {t1} visas inte ({s}).",
        "board_cases": "Jämställdhetsbedömning av styrelsens ärenden",
        "board_cases_none": "Inga ärenden på styrelsens dagordningar är registrerade för året.",
        "board_cases_text": "Styrelsen behandlade {total} ärenden vid {meetings} möten under året. {assessed} av "
                            "dem ({share}) hade en jämställdhetsbedömning: vilka som berörs, hur kvinnor och män "
                            "berörs, vilket underlag som finns och en slutsats.",
        "u_percent": "%", "u_count": "antal", "u_sek": "kr", "u_hours": "timmar", "u_days": "dagar",
        "about": "Ingår också",
    },
    "en": {
        "title": "Gender mainstreaming: plan, findings, applications and budget",
        "lead": "How {org} worked with gender mainstreaming in {year}: the plan and its actions, how findings of "
                "possible unjustified differences were handled, whether the funded projects' goals were met and "
                "how the budget was distributed between women and men.",
        "plan": "Action plan and actions",
        "plan_none": "No adopted action plan is recorded for the year.",
        "plan_text": "{title}, revision {rev}{adopted}. Applies to {orgs}.{next}",
        "adopted": ", adopted {date}",
        "next": " Next revision due {date}.",
        "goals_table": "The plan's goals and actions",
        "goals_caption": "Each goal of the plan, the national gender-equality goal it serves and how many actions "
                         "are done and overdue.",
        "goal": "Goal", "national": "National gender-equality goal", "cemr": "CEMR articles",
        "actions": "Actions", "done": "Done", "overdue": "Overdue",
        "actions_table": "Actions of the plan",
        "actions_caption": "The plan's actions with owner, due date and status.",
        "action": "Action", "owner": "Owner", "due": "Due", "status": "Status",
        "status_planned": "Planned", "status_ongoing": "Ongoing", "status_done": "Done",
        "status_cancelled": "Cancelled", "status_overdue": "Overdue",
        "changes": "Changes since the previous revision:",
        "findings": "Findings and how they were handled",
        "findings_none": "The findings register has no findings for the year.",
        "findings_table": "The findings register during the year",
        "findings_caption": "Number of findings (possible unjustified differences) by how the steering groups "
                            "handled them.",
        "what": "Findings", "count": "Number",
        "f_total": "Findings in all", "f_open": "Open", "f_justified": "Justified differences",
        "f_action": "Action planned", "f_done": "Action done", "f_overdue": "Action overdue",
        "f_recurring": "Recurring from the year before",
        "applications": "Project applications and their goals",
        "applications_none": "No project applications are recorded for the year.",
        "applications_text": "{n} applications: {funded} funded, {rejected} rejected and {pending} under assessment. "
                             "Of the funded projects' goals, {met} of {measured} measurable targets for women and "
                             "men were met.",
        "apps_table": "Applications and gender marker",
        "apps_caption": "Each application with intervention, decision and gender marker (0 = not targeted, "
                        "1 = significant objective, 2 = principal objective).",
        "application": "Application", "intervention": "Intervention", "decision": "Decision", "marker": "Marker",
        "funded": "Funded", "rejected": "Rejected", "pending": "Under assessment",
        "goals_fu_table": "Funded projects' goals: planned and actual",
        "goals_fu_caption": "Measurable goals by sex: baseline, target and actual from the intervention's data.",
        "indicator": "Indicator", "unit": "Unit",
        "base_w": "Baseline women", "base_m": "Baseline men", "target_w": "Target women",
        "target_m": "Target men", "actual_w": "Actual women", "actual_m": "Actual men",
        "met_w": "Met women", "met_m": "Met men", "yes": "Yes", "no": "No",
        "goals_note": "{s} = actual not shown: it rests on fewer than {t} people or cannot be measured yet.",
        "budget": "Budget by sex",
        "budget_none": "No budget is imported for the year.",
        "budget_text": "The budget is distributed to women and men by the participants' costs, staff hours or time "
                       "in the intervention during the year. Of the money reaching women and men, {w} went to "
                       "women; women's share of the target groups was {t}.",
        "budget_table": "The budget distributed to women and men",
        "budget_withheld": "Amounts spread over fewer than 5 people are not shown (..), nor the amounts and "
                           "shares they could otherwise be computed from.",
        "budget_caption": "Each intervention's budget for the year distributed by its participants, against "
                          "women's share of its target group. Other or unknown sex is shown separately.",
        "budget_sek": "Budget (SEK)", "women_sek": "Women (SEK)", "men_sek": "Men (SEK)",
        "other_sek": "Other/unknown sex (SEK)", "women_share": "Share to women (%)",
        "target_share": "Women in target group (%)", "basis": "Distributed by",
        "basis_cost": "cost", "basis_hours": "staff hours", "basis_days": "time in intervention",
        "basis_participants": "participants", "basis_mixed": "various", "basis_": "–",
        "total": "Total",
        "budget_figure": "Share of the budget reaching women, by intervention",
        "budget_alt": "Bar chart: the share of each intervention's budget that reached women, with women's share "
                      "of the target group as a tick. {rows}",
        "bar_label": "Share of budget to women", "ref_label": "Women in target group",
        "x_title": "Share women (%)",
        "checklists": "Checklists",
        "checklists_none": "No checklists were answered for the year.",
        "checklists_table": "Answered checklists",
        "checklists_caption": "How many questions of each checklist were answered and fulfilled.",
        "checklist": "Checklist", "unit_col": "Unit", "answered": "Answered", "of": "Questions",
        "fulfilled": "Fulfilled",
        "comments": "Comments in the checklists:",
        "activities": "Activities",
        "activities_none": "No activities are recorded for the year.",
        "activities_table": "Activities and participants by sex",
        "activities_caption": "Training, events and other activities with participants by sex.",
        "activity": "Activity", "kind": "Kind", "date": "Date", "women": "Women", "men": "Men",
        "other": "Other/unknown sex",
        "kind_training": "Training", "kind_event": "Event", "kind_exhibition": "Exhibition",
        "kind_theme_day": "Theme day", "kind_other": "Other",
        "count_note": "Numbers from 1 to {t1} are not shown ({s}).",
        "board_cases": "Gender-impact assessment of the board's cases",
        "board_cases_none": "No cases on the board's agendas are recorded for the year.",
        "board_cases_text": "The board handled {total} cases at {meetings} meetings during the year. {assessed} of "
                            "them ({share}) carried a gender-impact assessment: who is affected, how women and men "
                            "are affected, which data there are and a conclusion.",
        "u_percent": "%", "u_count": "number", "u_sek": "SEK", "u_hours": "hours", "u_days": "days",
        "about": "Also included",
    },
}


def chapter_title(lang: str) -> str:
    return TEXT[lang]["title"]


def _text(value: str) -> Cell:
    return Cell(value or MISSING, value or None)


def _int(value: Any, lang: str) -> Cell:
    number = finite(value)
    return Cell(fmt_number(number, lang), int(number) if number is not None else None, "#,##0", align="right")


def _people(value: Any, threshold: int, lang: str) -> Cell:
    """A count of people: hidden when it lies between 1 and the threshold minus one."""
    number = finite(value)
    if number is not None and not count_is_safe(number, threshold):
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    return Cell(fmt_count(number, threshold, lang), int(number) if number is not None else None, "#,##0",
                align="right")


def _value(value: Any, lang: str, decimals: int = 1, *, withheld: bool = False) -> Cell:
    number = finite(value)
    if number is None:
        return Cell(SUPPRESSED if withheld else MISSING, None, suppressed=withheld, align="right")
    fmt = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    return Cell(fmt_number(number, lang, decimals), number, fmt, align="right")


def _share(value: Any, lang: str, *, withheld: bool = False) -> Cell:
    number = finite(value)
    return _value(number * 100 if number is not None else None, lang, 1, withheld=withheld)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _decimals(unit: str) -> int:
    return 0 if unit in ("count", "sek") else 1


def governance_section(summary: GovernanceSummary, lang: str, threshold: int,
                       intervention: str | None = None) -> Section:
    """The chapter; with ``intervention`` only that intervention's applications and budget line."""
    t = TEXT[lang]
    sec = Section(id="jamstalldhetsintegrering" if lang == "sv" else "gender-mainstreaming", title=t["title"])
    sec.add(Paragraph(t["lead"].format(org=summary.organisation, year=summary.year), style="lead"))
    _plan(sec.sub("plan", t["plan"]), summary, t, lang)
    _findings(sec.sub("fynd" if lang == "sv" else "findings", t["findings"]), summary, t, lang)
    _applications(sec.sub("ansokningar" if lang == "sv" else "applications", t["applications"]), summary, t, lang,
                  threshold, intervention)
    _budget(sec.sub("budget", t["budget"]), summary, t, lang, intervention)
    _checklists(sec.sub("checklistor" if lang == "sv" else "checklists", t["checklists"]), summary, t, lang)
    _activities(sec.sub("aktiviteter" if lang == "sv" else "activities", t["activities"]), summary, t, lang,
                threshold)
    _board_cases(sec.sub("arenden" if lang == "sv" else "board-cases", t["board_cases"]), summary, t, lang)
    return sec


def _board_cases(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str) -> None:
    """The share of board cases with a gender-impact assessment (cases, not people: no disclosure control)."""
    cases = s.board_cases
    if cases is None or cases.total == 0:
        sec.add(Paragraph(t["board_cases_none"]))
        return
    share = fmt_number((cases.share or 0.0) * 100, lang, 0) + NBSP + "%"
    sec.add(Paragraph(t["board_cases_text"].format(total=fmt_number(cases.total, lang, 0),
                                                   meetings=fmt_number(cases.meetings, lang, 0),
                                                   assessed=fmt_number(cases.assessed, lang, 0), share=share)))


def _plan(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str) -> None:
    plan = s.plan
    if plan is None:
        sec.add(Paragraph(t["plan_none"]))
        return
    sec.add(Paragraph(t["plan_text"].format(
        title=plan.title, rev=plan.revision,
        adopted=t["adopted"].format(date=_date(plan.adopted_on)) if plan.adopted_on else "",
        orgs=", ".join(plan.organisations) or s.organisation,
        next=t["next"].format(date=_date(plan.next_revision_due)) if plan.next_revision_due else "")))
    if plan.goals:
        rows = []
        for g in plan.goals:
            national = NATIONAL_GOALS.get(g.national_goal, (g.national_goal, g.national_goal))
            rows.append([_text(g.title), _text(national[0] if lang == "sv" else national[1]),
                         _text(", ".join(g.cemr_articles)), _int(g.actions_total, lang), _int(g.actions_done, lang),
                         _int(g.actions_overdue, lang)])
        sec.add(Table("governance_plan_goals", t["goals_table"],
                      [t["goal"], t["national"], t["cemr"], t["actions"], t["done"], t["overdue"]], rows,
                      caption=t["goals_caption"], label_columns=3))
    if plan.actions:
        rows = []
        for a in plan.actions:
            status = t.get(f"status_{a.status}", a.status)
            if a.overdue and a.status not in ("done", "cancelled"):
                status = f"{status} ({t['status_overdue'].lower()})"
            rows.append([_text(a.title), _text(a.owner), _text(_date(a.due)),
                         Cell(status, status, emphasis=a.overdue), _text(a.goal)])
        sec.add(Table("governance_plan_actions", t["actions_table"],
                      [t["action"], t["owner"], t["due"], t["status"], t["goal"]], rows,
                      caption=t["actions_caption"], label_columns=5))
    if plan.changes_since_previous:
        sec.add(Paragraph(t["changes"]), BulletList(list(plan.changes_since_previous)))


def _findings(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str) -> None:
    f = s.findings
    if f is None or f.total == 0:
        sec.add(Paragraph(t["findings_none"]))
        return
    pairs = [("f_total", f.total), ("f_open", f.open), ("f_justified", f.justified),
             ("f_action", f.action_planned), ("f_done", f.done), ("f_overdue", f.overdue),
             ("f_recurring", f.recurring)]
    rows = [[Cell(t[key], t[key], emphasis=key == "f_total"), _int(n, lang)] for key, n in pairs]
    sec.add(Table("governance_findings", t["findings_table"], [t["what"], t["count"]], rows,
                  caption=t["findings_caption"]))


def _applications(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str, threshold: int,
                  intervention: str | None) -> None:
    apps = [a for a in s.applications if intervention is None or a.intervention_id == intervention]
    if not apps:
        sec.add(Paragraph(t["applications_none"]))
        return
    decisions = [a.decision for a in apps]
    met = [m for a in apps if a.decision == "funded" for g in a.goals for m in (g.met_women, g.met_men)]
    sec.add(Paragraph(t["applications_text"].format(
        n=len(apps), funded=decisions.count("funded"), rejected=decisions.count("rejected"),
        pending=len(apps) - decisions.count("funded") - decisions.count("rejected"),
        met=sum(m is True for m in met), measured=sum(m is not None for m in met))))
    sec.add(Table("governance_applications", t["apps_table"],
                  [t["application"], t["intervention"], t["decision"], t["marker"]],
                  [[_text(a.title), _text(a.intervention_id or ""), _text(t.get(a.decision, a.decision)),
                    _int(a.gender_marker, lang)] for a in apps],
                  caption=t["apps_caption"], label_columns=3))
    rows = []
    for a in apps:
        if a.decision != "funded":
            continue
        for g in a.goals:
            dec = _decimals(g.unit)
            unit = t.get(f"u_{g.unit}", g.unit)
            rows.append([
                _text(a.title), _text(g.indicator), _text(unit),
                _value(g.baseline_women, lang, dec), _value(g.baseline_men, lang, dec),
                _value(g.target_women, lang, dec), _value(g.target_men, lang, dec),
                _value(g.actual_women, lang, dec, withheld=True), _value(g.actual_men, lang, dec, withheld=True),
                _text(_yes_no(g.met_women, t)), _text(_yes_no(g.met_men, t)),
            ])
    if rows:
        sec.add(Table("governance_goals", t["goals_fu_table"],
                      [t["application"], t["indicator"], t["unit"], t["base_w"], t["base_m"], t["target_w"],
                       t["target_m"], t["actual_w"], t["actual_m"], t["met_w"], t["met_m"]], rows,
                      note=t["goals_note"].format(s=SUPPRESSED, t=threshold), caption=t["goals_fu_caption"],
                      label_columns=3))


def _yes_no(value: bool | None, t: dict[str, str]) -> str:
    return MISSING if value is None else (t["yes"] if value else t["no"])


def _budget(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str, intervention: str | None) -> None:
    lines = [b for b in s.budget if intervention is None or b.intervention_id == intervention]
    if not lines:
        sec.add(Paragraph(t["budget_none"]))
        return
    total = next((b for b in lines if b.intervention_id is None), None)
    if total is not None and total.women_share is not None:
        target = (fmt_number(total.target_group_women_share * 100, lang, 1) + NBSP + "%"
                  if total.target_group_women_share is not None else MISSING)
        sec.add(Paragraph(t["budget_text"].format(w=fmt_number(total.women_share * 100, lang, 1) + NBSP + "%",
                                                  t=target)))
    rows = []
    for b in lines:
        label = t["total"] if b.intervention_id is None else (
            f"{b.name} ({b.intervention_id})" if b.name else b.intervention_id or "")
        is_total = b.intervention_id is None
        hidden = b.withheld
        row = [Cell(label, label, emphasis=is_total), _value(b.budget_sek, lang, 0),
               _value(b.women_sek, lang, 0, withheld=hidden), _value(b.men_sek, lang, 0, withheld=hidden),
               _value(b.other_sek, lang, 0, withheld=hidden), _share(b.women_share, lang, withheld=hidden),
               _share(b.target_group_women_share, lang), _text(t.get(f"basis_{b.basis}", b.basis))]
        for cell in row:
            cell.emphasis = is_total
        rows.append(row)
    sec.add(Table("governance_budget", t["budget_table"],
                  [t["intervention"], t["budget_sek"], t["women_sek"], t["men_sek"], t["other_sek"],
                   t["women_share"], t["target_share"], t["basis"]], rows, caption=t["budget_caption"],
                  note=t["budget_withheld"] if any(b.withheld for b in lines) else ""))
    figure = _budget_figure([b for b in lines if b.intervention_id is not None and b.women_share is not None],
                            t, lang)
    if figure is not None:
        sec.add(figure)


def _budget_figure(lines: list[Any], t: dict[str, str], lang: str) -> Figure | None:
    if not lines:
        return None
    rows = []
    described = []
    for b in lines:
        share = b.women_share * 100
        ref = b.target_group_women_share * 100 if b.target_group_women_share is not None else None
        text = fmt_number(share, lang, 0) + NBSP + "%"
        rows.append({"label": b.intervention_id, "share": share, "low": share, "high": share, "reference": ref,
                     "text": text})
        described.append(f"{b.intervention_id} {text}"
                         + (f" ({fmt_number(ref, lang, 0)}{NBSP}%)" if ref is not None else ""))
    return participation_chart("governance_budget_chart", t["budget_figure"],
                               t["budget_alt"].format(rows="; ".join(described) + "."), rows,
                               bar_label=t["bar_label"], reference_label=t["ref_label"], x_title=t["x_title"])


def _checklists(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str) -> None:
    if not s.checklists:
        sec.add(Paragraph(t["checklists_none"]))
        return
    sec.add(Table("governance_checklists", t["checklists_table"],
                  [t["checklist"], t["unit_col"], t["answered"], t["of"], t["fulfilled"]],
                  [[_text(c.title), _text(c.unit), _int(c.answered, lang), _int(c.total, lang),
                    _int(c.fulfilled, lang)] for c in s.checklists],
                  caption=t["checklists_caption"], label_columns=2))
    comments = [f"{c.title}: {q}: {text}" for c in s.checklists for q, text in c.comments if text]
    if comments:
        sec.add(Paragraph(t["comments"]), BulletList(comments))


def _activities(sec: Section, s: GovernanceSummary, t: dict[str, str], lang: str, threshold: int) -> None:
    if not s.activities:
        sec.add(Paragraph(t["activities_none"]))
        return
    rows = [[_text(a.title), _text(t.get(f"kind_{a.kind}", a.kind)), _text(_date(a.date)),
             _people(a.women, threshold, lang), _people(a.men, threshold, lang), _people(a.other, threshold, lang)]
            for a in s.activities]
    sec.add(Table("governance_activities", t["activities_table"],
                  [t["activity"], t["kind"], t["date"], t["women"], t["men"], t["other"]], rows,
                  note=t["count_note"].format(t1=threshold - 1, s=SUPPRESSED), caption=t["activities_caption"],
                  label_columns=3))
