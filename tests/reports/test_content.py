"""What the report says, independent of the format: built from a hand-made Analysis."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from jamkoll.analysis.results import Analysis, Effect, ResultTable
from jamkoll.reports import build_context
from jamkoll.reports.model import (
    BulletList,
    Figure,
    FindingBlock,
    KeyFigures,
    Paragraph,
    ReportContext,
    Section,
    Table,
)
from jamkoll.reports.phrases import T
from jamkoll.reports.sections.decomposition import decompositions_of
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.text import fmt_count, fmt_effect_value, fmt_number, fmt_percent

from .conftest import finding, make_analysis


def blocks(section: Section) -> list[object]:
    found: list[object] = list(section.blocks)
    for sub in section.subsections:
        found += blocks(sub)
    return found


def section(ctx: ReportContext, title: str) -> Section:
    return next(s for s in ctx.sections if s.title == title)


def text_of(ctx: ReportContext) -> str:
    parts: list[str] = []
    for sec in ctx.sections:
        for b in blocks(sec):
            if isinstance(b, Paragraph):
                parts.append(b.text)
            elif isinstance(b, FindingBlock):
                parts += [b.title, b.explanation, *(f"{k}: {v}" for k, v in b.facts), *b.notes]
            elif isinstance(b, Table):
                parts += [b.title, b.note, *b.header, *(c.text for row in b.rows for c in row)]
            elif isinstance(b, KeyFigures):
                parts += [f"{k.label} {k.value} {k.detail}" for k in b.figures]
    return "\n".join(parts)


def count_cells(ctx: ReportContext) -> list[int]:
    """Every integer the report prints in a table cell."""
    return [
        c.value
        for t in ctx.tables()
        for row in t.rows
        for c in row
        if isinstance(c.value, int) and not isinstance(c.value, bool) and c.number_format == "#,##0"
    ]


# ------------------------------------------------------------------------------------------ numbers


def test_swedish_number_format() -> None:
    assert fmt_number(1234567.891, "sv", 1) == "1\u00a0234\u00a0567,9"
    assert fmt_number(-0.04, "sv", 1) == "0,0"  # no "−0,0"
    assert fmt_number(-3.25, "sv", 1) == "\u22123,2"
    assert fmt_number(2.0, "sv", 1, signed=True) == "+2,0"
    assert fmt_percent(45.26, "sv") == "45,3\u00a0%"
    assert fmt_number(1234.5, "en", 1) == "1234.5"


def test_counts_under_the_threshold_are_never_printed() -> None:
    assert [fmt_count(n, 5, "sv") for n in (0, 1, 4, 5, 12)] == ["0", "..", "..", "5", "12"]
    assert fmt_effect_value(-0.259, "relative", "sv") == "\u221226\u00a0%"
    assert fmt_effect_value(-1300, "sek", "sv") == "\u22121\u00a0300\u00a0kr"


def test_every_phrase_exists_in_both_languages() -> None:
    assert set(T["sv"]) == set(T["en"])


# ------------------------------------------------------------------------------------------ content


def test_board_report_sections_in_swedish(analysis: Analysis) -> None:
    ctx = build_context(analysis)
    titles = [s.title for s in ctx.sections]
    assert titles[0] == "Sammanfattning"
    for wanted in (
        "Möjliga omotiverade skillnader",
        "Deltagande och målgrupp",
        "Delinsatser",
        "Resultat efter avslut",
        "Resurser",
        "Utveckling över tid",
        "Metodbilaga",
    ):
        assert wanted in titles
    assert titles[-1] == "Metodbilaga"
    assert ctx.title == "Jämställdhetsuppföljning 2025"
    assert ctx.organisation == "Samordningsförbundet Testbygden"
    method = [s.title for s in section(ctx, "Metodbilaga").subsections]
    assert {
        "Hur skillnader prövas",
        "Justering för behov",
        "Många jämförelser",
        "Skydd för enskilda personer",
        "Teckenförklaring",
    } <= set(method)


def test_english_report(analysis: Analysis) -> None:
    ctx = build_context(analysis, lang="en")
    assert ctx.sections[0].title == "Summary"
    assert "Method appendix" in [s.title for s in ctx.sections]
    text = text_of(ctx)
    # The findings are written in English by reports.explain, not taken from the analysis.
    assert "Women are under-represented in" in text
    assert "Kvinnor är underrepresenterade" not in text
    with pytest.raises(ValueError):
        build_context(analysis, lang="de")


def test_summary_names_flagged_differences_and_key_figures(analysis: Analysis) -> None:
    ctx = build_context(analysis)
    summary = ctx.sections[0]
    figures = next(b for b in summary.blocks if isinstance(b, KeyFigures)).figures
    values = {k.label: k.value for k in figures}
    assert values["Möjliga omotiverade skillnader"] == "5"
    assert values["Skillnader som förklaras av behov"] == "3"
    # The participation table hides its women total, so the figure comes from the findings (the
    # gate's published group sizes) summed over the interventions, leaving out the one with too few.
    safe = [f for f in analysis.findings if f.dimension == "participation" and f.intervention
            and f.n_women >= 5 and f.n_men >= 5]
    assert len(safe) >= 2
    assert values["Kvinnor"] == f"cirka {sum(f.n_women for f in safe)}"
    assert values["Män"] == f"cirka {sum(f.n_men for f in safe)}"
    text = text_of(ctx)
    assert "Antalen omfattar inte Pilot: Hälsa i fokus" in text
    assert "Kvinnor är underrepresenterade i Jobbspåret" in text
    assert "Rapporten jämför inte med föregående år" in text


def test_summary_names_every_possible_unjustified_difference(analysis: Analysis) -> None:
    """Page 2 lists all of them, however many, not a sample (issue 12)."""
    ctx = build_context(analysis)
    flagged_sub = next(s for s in ctx.sections[0].subsections if s.title == "Möjliga omotiverade skillnader")
    items = [item for b in flagged_sub.blocks if isinstance(b, BulletList) for item in b.items]
    flagged = [f for f in analysis.findings if f.status == "unjustified"]
    assert len(flagged) == 5
    assert len(items) == len(flagged)
    assert "De är:" in " ".join(b.text for b in flagged_sub.blocks if isinstance(b, Paragraph))


def test_year_on_year_with_previous(analysis: Analysis, previous: Analysis) -> None:
    ctx = build_context(analysis, previous=previous)
    change = next(s for s in ctx.sections[0].subsections if s.title == "Förändring sedan förra året")
    text = " ".join(b.text for b in change.blocks if isinstance(b, Paragraph))
    # Praktik (explained last year) and the work gap in INS03 are flagged now, studies in INS05 is no
    # longer compared: none of these changes is statistically established, so none counts as new or gone.
    assert (
        "Jämfört med 2024: 0 nya möjliga omotiverade skillnader, 3 kvar och 0 borta (med statistiskt "
        "säkerställd förändring); 3 har ändrat status utan säkerställd förändring." in text
    )

    # The summary names each change of a possible unjustified difference with its test (issue 12).
    bullets = [item for b in change.blocks if isinstance(b, BulletList) for item in b.items]
    assert len(bullets) == 3
    work = next(item for item in bullets if item.startswith("Arbete – Jobbcoach Mora (INS03)"))
    assert "ej säkerställd 2024 → möjligen omotiverad 2025" in work
    assert "(p = " in work or "(p < " in work
    assert "95 % KI" in work
    studies = next(item for item in bullets if item.startswith("Studier – Jobbspåret (INS05)"))
    assert "kan inte prövas" in studies

    trend = section(ctx, "Utveckling över tid")
    tables = {t.key: t for t in blocks(trend) if isinstance(t, Table)}
    changes = tables["status_changes"]
    rows = {row[1].text: [c.text for c in row[2:]] for row in changes.rows}
    # "none" reads "not established", never "no difference"; the last column is the tested change.
    assert rows["Arbete – Jobbcoach Mora (INS03)"][:2] == ["Ej säkerställd", "Möjligen omotiverad"]
    assert rows["Arbete – Jobbcoach Mora (INS03)"][2].startswith(("Ny sedan 2024", "Statusen har ändrats sedan 2024"))
    assert rows["Studier – Jobbspåret (INS05)"][:2] == ["Möjligen omotiverad", "Inte jämförd"]
    assert "year_on_year" in tables
    assert any(isinstance(b, Figure) and b.key.startswith("trend-") for b in blocks(trend))


def test_finding_blocks_give_effect_interval_and_adjustment(analysis: Analysis) -> None:
    ctx = build_context(analysis)
    found = {
        b.id: b for b in blocks(section(ctx, "Möjliga omotiverade skillnader")) if isinstance(b, FindingBlock)
    }
    assert set(found) == {f.id for f in analysis.findings if f.status != "none"}
    work = dict(found["outcome:INS03:arbete"].facts)
    assert work["Skillnad efter justering"].startswith(
        "\u221214,0\u00a0procentenheter (95 % konfidensintervall"
    )
    assert work["Justerat för"] == (
        "ålder, utbildningsnivå, försörjning vid inskrivning och tid i offentlig försörjning"
    )
    assert work["Statistisk säkerhet"].replace("\u00a0", " ").startswith("q < 0,001 (p-värde justerat")
    assert work["Underlag"] == "130 kvinnor och 140 män"
    assert found["outcome:INS03:arbete"].status_label == "Möjlig omotiverad skillnad"
    assert found["component:INS03:praktik"].status_label == "Skillnaden förklaras av behov"


def test_small_comparisons_show_no_values(analysis: Analysis) -> None:
    ctx = build_context(analysis)
    per = next(t for t in ctx.tables() if t.key == "component_per_intervention")
    pilot = next(row for row in per.rows if row[0].text == "Pilot: Hälsa i fokus")
    # Three women: their count, the shares and the differences are hidden; the men's published
    # group size (from the gate) is shown as it is.
    assert [c.text for c in pilot[2:8]] == ["..", "9", "..", "..", "..", ".."]
    assert "färre än 5 kvinnor eller män" in per.note


def test_no_published_count_between_one_and_the_threshold(analysis: Analysis, previous: Analysis) -> None:
    for ctx in (build_context(analysis, previous=previous), build_context(analysis, intervention="INS03")):
        counts = count_cells(ctx)
        assert counts, "the report has count cells"
        assert not [n for n in counts if 0 < n < 5]


def test_suppressed_cells_are_marked_and_explained(analysis: Analysis) -> None:
    ctx = build_context(analysis)
    table = next(t for t in ctx.tables() if t.key == "participation")
    pilot = next(row for row in table.rows if row[0].text == "Pilot: Hälsa i fokus")
    assert [c.text for c in pilot[1:]] == ["..", "9", ".."]
    assert pilot[1].suppressed and pilot[1].value is None
    assert table.header == ["Insats", "Kvinnor", "Män", "Totalt"]
    assert "Värden under 5 redovisas inte (markerade med ..) och några andra värden har dolts" in table.note


def test_unprotected_small_count_in_a_table_is_hidden_anyway() -> None:
    analysis = make_analysis()
    frame = pd.DataFrame(
        {"women": [3, 40], "men": [12, 2]}, index=pd.Index(["INS01", "INS03"], name="intervention")
    )
    analysis.tables = {
        "participation_raw": ResultTable("participation_raw", frame, kind="counts")
    }
    ctx = build_context(analysis)
    table = next(t for t in ctx.tables() if t.key == "participation_raw")
    assert [[c.text for c in row] for row in table.rows] == [
        ["Steg till arbete", "..", "12"],
        ["Jobbcoach Mora", "40", ".."],
    ]
    assert ".. = uppgiften visas inte" in table.note


def test_steering_group_report_is_restricted_to_the_intervention(analysis: Analysis) -> None:
    ctx = build_context(analysis, intervention="INS03")
    assert ctx.title == "Jämställdhetsuppföljning 2025: Jobbcoach Mora"
    assert ctx.subtitle == "Rapport till styrgruppen för Jobbcoach Mora (INS03)"
    found = [b for s in ctx.sections for b in blocks(s) if isinstance(b, FindingBlock)]
    assert found and all(":INS03:" in b.id for b in found)
    participation = next(t for t in ctx.tables() if t.key == "participation")
    assert [row[0].text for row in participation.rows] == ["Jobbcoach Mora"]
    # Tables without an intervention axis describe the whole association: left out here.
    assert not [t for t in ctx.tables() if t.key in ("target_group", "intersectional_age_born_abroad")]
    summary = ctx.sections[0]
    assert "Förslag till styrgruppen" in [s.title for s in summary.subsections]
    with pytest.raises(ValueError, match="INS99"):
        build_context(analysis, intervention="INS99")


def test_analysis_of_one_intervention_is_not_filtered_again(analysis: Analysis) -> None:
    one = dataclasses.replace(analysis, config=dataclasses.replace(analysis.config, interventions=("INS03",)))
    ctx = build_context(one, intervention="INS03")
    target = next(t for t in ctx.tables() if t.key == "target_group")  # kept: the analysis is INS03's
    assert len(target.rows) == 2


def test_decomposition_is_women_minus_men_whichever_group_is_a(analysis: Analysis) -> None:
    key = ("duration_days", None)
    raw = analysis.decompositions[key]
    s = Settings(
        lang="sv",
        threshold=5,
        year=2025,
        organisation="",
        names={},
        intervention=None,
        restricted=False,
        config=analysis.config,
        meta={},
        t=T["sv"],
    )
    (women_first,) = decompositions_of({key: raw}, s)
    flipped = {
        **raw,
        "group_a": "men",
        "group_b": "women",
        "gap": -raw["gap"],
        "n_a": raw["n_b"],
        "n_b": raw["n_a"],
        "mean_a": raw["mean_b"],
        "mean_b": raw["mean_a"],
        "twofold": {
            ref: {
                **part,
                "explained": {
                    **part["explained"],
                    "estimate": -part["explained"]["estimate"],
                    "by_variable": {k: -v for k, v in part["explained"]["by_variable"].items()},
                },
                "unexplained": {**part["unexplained"], "estimate": -part["unexplained"]["estimate"]},
            }
            for ref, part in raw["twofold"].items()
        },
    }
    (men_first,) = decompositions_of({key: flipped}, s)
    assert women_first.category == "duration_days" and women_first.intervention is None
    assert men_first.gap == pytest.approx(women_first.gap)
    assert men_first.explained == pytest.approx(women_first.explained)
    assert men_first.women_mean == pytest.approx(women_first.women_mean)
    assert women_first.gap == pytest.approx(women_first.explained + women_first.unexplained)
    assert set(women_first.by_variable) == {"income_support_at_start", "age_band"}


def test_every_finding_gets_its_sentence_from_explain() -> None:
    analysis = make_analysis()
    analysis.findings = [
        finding(
            "outcome",
            None,
            "studier",
            "unjustified",
            women=10.0,
            men=20.0,
            adjusted=Effect(-9.0, -13.0, -5.0, 0.001, "pp", "logit-ame"),
        )
    ]
    ctx = build_context(analysis)
    block = next(b for s in ctx.sections for b in blocks(s) if isinstance(b, FindingBlock))
    assert block.explanation == (
        "Män gick till studier oftare än kvinnor i förbundet som helhet (kvinnor 10\u00a0%, män 20\u00a0%); "
        "skillnaden kvarstår "
        "när behov och bakgrund hålls lika: 9 procentenheter (95 % KI 5 till 13). Justerat för "
        + block.explanation.split("Justerat för ", 1)[1]
    )


def test_charts_have_text_alternatives(analysis: Analysis) -> None:
    ctx = build_context(analysis, previous=make_analysis(2024))
    figures = ctx.figures()
    assert {f.key for f in figures} >= {
        "findings-overview",
        "participation",
        "component-rates",
        "outcome-rates",
        "decomposition-duration_days-all",
        "trend-participation_by_year",
    }
    for f in figures:
        assert len(f.alt) > 60 and f.title and f.number > 0
        assert "http" not in str(f.spec.get("data", "")) and "url" not in str(f.spec.get("data", {}))
    rates = next(f for f in figures if f.key == "component-rates")
    assert "Praktik: 22 % för kvinnor och 31 % för män" in rates.alt.replace("\u00a0", " ")
