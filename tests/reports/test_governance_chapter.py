"""The governance chapter: "Jämställdhetsintegrering: plan, fynd, ansökningar och budget" in all four formats."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from openpyxl import load_workbook

from jamkoll.analysis.results import Analysis
from jamkoll.reports import build_context, write_report
from jamkoll.reports.governance import (
    ActionItem,
    ActivitySummary,
    ApplicationFollowUp,
    BudgetLine,
    ChecklistProgress,
    FindingsHandling,
    GoalFollowUp,
    GoalProgress,
    GovernanceSummary,
    PlanProgress,
)
from jamkoll.reports.model import Table

TITLE_SV = "Jämställdhetsintegrering: plan, fynd, ansökningar och budget"
TITLE_EN = "Gender mainstreaming: plan, findings, applications and budget"
SMALL = (1, 2, 3, 4)


def summary() -> GovernanceSummary:
    return GovernanceSummary(
        organisation="Samordningsförbundet Testbygden",
        year=2025,
        plan=PlanProgress(
            title="Jämställdhetsplan 2024–2026", revision=2, adopted_on=dt.date(2025, 2, 14),
            organisations=["Samordningsförbundet Testbygden", "Testkommunen"],
            goals=[GoalProgress("Jämn fördelning av praktikplatser", "economy", ["6", "22"], 3, 1, 1)],
            actions=[
                ActionItem("Utbilda handläggare i 3R", "Förbundschefen", dt.date(2025, 6, 30), "done"),
                ActionItem("Följ upp praktik per kön", "Styrgruppen", dt.date(2025, 3, 31), "ongoing", overdue=True),
            ],
            next_revision_due=dt.date(2026, 2, 28),
            changes_since_previous=["Nytt mål om praktikplatser."],
        ),
        findings=FindingsHandling(total=7, open=2, justified=2, action_planned=2, done=1, overdue=1, recurring=3),
        applications=[
            ApplicationFollowUp("Praktik för alla", "INS03", 2, "funded", [
                GoalFollowUp("Andel som erbjuds praktik", "percent", 20.0, 35.0, 35.0, 35.0, 37.5, None, True, None),
            ]),
            ApplicationFollowUp("Hälsa i fokus", None, 1, "rejected", []),
        ],
        budget=[
            BudgetLine("INS03", "Jobbcoach Mora", 2_100_000, 1_000_000, 1_050_000, 50_000, 1_000_000 / 2_050_000,
                       0.48, "cost"),
            BudgetLine(None, "", 2_100_000, 1_000_000, 1_050_000, 50_000, 1_000_000 / 2_050_000, 0.48, "cost"),
        ],
        checklists=[ChecklistProgress("Checklista för beredning", "Beredningsgruppen", 9, 10, 7,
                                      [("Finns könsuppdelad statistik?", "Delvis.")])],
        activities=[ActivitySummary("Temadag om jämställdhet", "theme_day", dt.date(2025, 3, 8), 23, 3, 1),
                    ActivitySummary("Utbildning 3R", "training", dt.date(2025, 9, 1), 12, 0, None)],
    )


def chapter_tables(analysis: Analysis, lang: str = "sv") -> list[Table]:
    ctx = build_context(analysis, lang=lang, governance=summary())
    section = next(s for s in ctx.sections if s.title == (TITLE_SV if lang == "sv" else TITLE_EN))
    return section.walk_tables()


@pytest.fixture(scope="module")
def governed(tmp_path_factory: pytest.TempPathFactory, analysis: Analysis) -> dict[str, Path]:
    return write_report(analysis, tmp_path_factory.mktemp("governed"), governance=summary())


def test_chapter_is_optional_and_placed_before_the_method(analysis: Analysis) -> None:
    without = build_context(analysis)
    assert TITLE_SV not in [s.title for s in without.sections]
    ctx = build_context(analysis, governance=summary())
    titles = [s.title for s in ctx.sections]
    assert titles.index(TITLE_SV) == titles.index("Metodbilaga") - 1
    assert len(ctx.tables()) == len(without.tables()) + 8
    assert ("Ingår också", TITLE_SV) in ctx.about


def test_chapter_content(analysis: Analysis) -> None:
    tables = {t.key: t for t in chapter_tables(analysis)}
    assert set(tables) == {"governance_plan_goals", "governance_plan_actions", "governance_findings",
                           "governance_applications", "governance_goals", "governance_budget",
                           "governance_checklists", "governance_activities"}
    findings = [[c.text for c in row] for row in tables["governance_findings"].rows]
    assert ["Fynd totalt", "7"] in findings and ["Återkommande från förra året", "3"] in findings
    goal = [c.text for c in tables["governance_goals"].rows[0]]
    # Baseline, target, actual (men's withheld) and whether met, in Swedish number style.
    assert goal[3:] == ["20,0", "35,0", "35,0", "35,0", "37,5", "..", "Ja", "–"]
    budget = [[c.text for c in row] for row in tables["governance_budget"].rows]
    assert budget[0][:5] == ["Jobbcoach Mora (INS03)", "2\u00a0100\u00a0000", "1\u00a0000\u00a0000",
                             "1\u00a0050\u00a0000", "50\u00a0000"]
    assert budget[0][5:] == ["48,8", "48,0", "kostnad"]
    assert budget[1][0] == "Totalt" and all(c.emphasis for c in tables["governance_budget"].rows[1])
    actions = [[c.text for c in row] for row in tables["governance_plan_actions"].rows]
    assert actions[1][3] == "Pågår (försenad)"


def test_counts_of_people_from_1_to_4_are_never_published(analysis: Analysis, governed: dict[str, Path]) -> None:
    activities = next(t for t in chapter_tables(analysis) if t.key == "governance_activities")
    cells = [[c.text for c in row[3:]] for row in activities.rows]
    assert cells == [["23", "..", ".."], ["12", "0", "–"]]
    assert all(c.suppressed for c in activities.rows[0][4:])
    # The workbook holds no number 1..4 in the activities sheet, the HTML no such cell.
    wb = load_workbook(governed["xlsx"])
    sheet = next(wb[n] for n in wb.sheetnames if "Aktiviteter" in n)
    values = [c.value for row in sheet.iter_rows(min_row=4) for c in row]
    assert "Temadag om jämställdhet" in values
    assert not [v for v in values if isinstance(v, int) and v in SMALL]
    doc = lxml.html.fromstring(governed["html"].read_text(encoding="utf-8"))
    table = next(t for t in doc.iter("table") if "Aktiviteter" in t.xpath("string(./caption)"))
    texts = [td.text_content().strip() for td in table.xpath("./tbody/tr/td")]
    assert not [t for t in texts if t in {str(n) for n in SMALL}]


def test_all_four_formats_contain_the_chapter(governed: dict[str, Path]) -> None:
    doc = lxml.html.fromstring(governed["html"].read_text(encoding="utf-8"))
    assert TITLE_SV in [h.text_content() for h in doc.iter("h2")]
    captions = [t.xpath("string(./caption)") for t in doc.iter("table")]
    assert any("Budgeten fördelad på kvinnor och män" in c for c in captions)
    assert any("Beviljade projekts mål" in c for c in captions)

    word = Document(str(governed["docx"]))
    assert TITLE_SV in [p.text for p in word.paragraphs if p.style.name == "Heading 1"]  # type: ignore[union-attr]
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert {"Jobbcoach Mora (INS03)", "Fynd totalt", "Temadag om jämställdhet"} <= cells

    wb = load_workbook(governed["xlsx"])
    about = [wb["Om rapporten"].cell(row=r, column=2).value for r in range(1, wb["Om rapporten"].max_row + 1)]
    assert TITLE_SV in about
    assert any("Budgeten fördelad" in n for n in wb.sheetnames)
    budget = next(wb[n] for n in wb.sheetnames if "Budgeten fördelad" in n)
    assert [c.value for c in budget[4]][:3] == ["Jobbcoach Mora (INS03)", 2_100_000, 1_000_000]

    pdf = governed["pdf"]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert TITLE_SV in flat and "Budgeten fördelad på kvinnor och män" in flat


def test_english_and_steering_group_report(analysis: Analysis, tmp_path: Path) -> None:
    tables = {t.key: t for t in chapter_tables(analysis, "en")}
    assert tables["governance_findings"].header == ["Findings", "Number"]
    ctx = build_context(analysis, lang="en", intervention="INS03", governance=summary())
    section = next(s for s in ctx.sections if s.title == TITLE_EN)
    apps = next(t for t in section.walk_tables() if t.key == "governance_applications")
    assert [r[0].text for r in apps.rows] == ["Praktik för alla"], "only the intervention's applications"
    budget = next(t for t in section.walk_tables() if t.key == "governance_budget")
    assert [r[0].text for r in budget.rows] == ["Jobbcoach Mora (INS03)"]


def test_empty_summary_says_so(analysis: Analysis) -> None:
    ctx = build_context(analysis, governance=GovernanceSummary("Förbundet", 2025))
    section = next(s for s in ctx.sections if s.title == TITLE_SV)
    assert section.walk_tables() == []
    texts = [b.text for sub in section.subsections for b in sub.blocks if hasattr(b, "text")]
    assert "Ingen antagen handlingsplan för året finns registrerad." in texts
    assert "Ingen budget är inläst för året." in texts


def test_withheld_budget_amounts_are_marked_and_explained(analysis: Analysis) -> None:
    governance = summary()
    governance.budget = [
        BudgetLine("INS12", "Pilot", 150_000, None, None, None, None, 0.52, "cost", withheld=True),
        BudgetLine("INS03", "Jobbcoach Mora", 2_100_000, 1_000_000, 1_050_000, 50_000, 1_000_000 / 2_050_000,
                   0.48, "cost"),
    ]
    ctx = build_context(analysis, governance=governance)
    table = next(t for t in ctx.tables() if t.key == "governance_budget")
    pilot = next(row for row in table.rows if row[0].text.startswith("Pilot"))
    assert [cell.text for cell in pilot[2:6]] == [".."] * 4 and all(cell.suppressed for cell in pilot[2:6])
    assert pilot[1].text.replace("\u00a0", " ").startswith("150 000"), "the budget itself is public"
    assert "färre än 5 personer redovisas inte" in table.note
    mora = next(row for row in table.rows if row[0].text.startswith("Jobbcoach"))
    assert not any(cell.suppressed for cell in mora)
