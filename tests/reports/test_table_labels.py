"""Titles, notes and row labels of the analysis' tables are written by the reports layer, in Swedish and
English (the analysis returns codes only; issue 11, item 5)."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd

from jamkoll.analysis.disclosure import Protection
from jamkoll.analysis.results import ALL_ENROLMENTS, MISSING, NO, YES, ResultTable
from jamkoll.reports import build_context
from jamkoll.reports.labels import analysis_document, protection_note, row_label, table_note, table_title

from .conftest import make_analysis

NAMES = {"INS01": "Steg till arbete", "INS03": "Jobbcoach Mora"}


def _participants() -> ResultTable:
    index = pd.Index(["INS01", "INS03", "total"], name="intervention")
    frame = pd.DataFrame({"women": [300, pd.NA, 450], "men": [210, 170, 380]}, index=index).astype("Int64")
    return ResultTable("participants_by_intervention", frame, frame.isna(),
                       Protection("suppression", 5, "..", secondary=True), topic="participation")


def _ground() -> ResultTable:
    index = pd.Index([YES, NO, MISSING, "total"], name="born_abroad")
    frame = pd.DataFrame({"women": [40, 60, 0, 100], "men": [30, 70, 0, 100]}, index=index)
    return ResultTable("sex_by_born_abroad", frame, frame.isna(), kind="intersectional", topic="intersectional")


def test_titles_in_swedish_and_english() -> None:
    table = _participants()
    assert table_title(table, "sv") == "Deltagare per insats och kön"
    assert table_title(table, "en") == "Participants by intervention and sex"
    assert table_title(_ground(), "sv") == "Deltagare per kön och utrikes född"
    assert table_title(_ground(), "en") == "Participants by sex and born abroad"


def test_notes_say_what_the_protection_codes_say() -> None:
    assert table_note(_participants(), "sv") == (
        "Värden under 5 redovisas inte (markerade med ..) och några andra värden har dolts så att de inte kan "
        "räknas fram ur summorna.")
    assert table_note(_participants(), "en") == (
        "Counts under the threshold are not shown (..), nor values from which they could be computed.")
    assert protection_note(Protection("suppression", 3, "x", zeros=True), "sv") == (
        "Värden under 3 och nollor redovisas inte (markerade med x).")
    assert "mellan 1 och 4 visas" in protection_note(Protection("cell_key", 5), "sv")
    assert "cell key" in protection_note(Protection("cell_key", 5), "en")
    assert protection_note(Protection("min_group", 5), "sv") == (
        "Medelvärden för grupper med färre än 5 personer redovisas inte.")
    assert protection_note(Protection(), "sv") == protection_note(Protection(), "en") == ""


def test_row_labels_in_words() -> None:
    participants, ground = _participants(), _ground()
    assert row_label(participants, "INS01", "sv", NAMES) == "INS01 Steg till arbete"
    assert row_label(participants, "total", "sv", NAMES) == "Totalt"
    assert row_label(participants, "total", "en", NAMES) == "Total"
    assert [row_label(ground, v, "sv") for v in (YES, NO, MISSING)] == ["Ja", "Nej", "Uppgift saknas"]
    assert [row_label(ground, v, "en") for v in (YES, NO, MISSING)] == ["Yes", "No", "Not known"]
    enrolments = ResultTable("enrolments_by_sex", pd.DataFrame({"women": [5]}, index=pd.Index(
        [ALL_ENROLMENTS], name="group")))
    assert row_label(enrolments, ALL_ENROLMENTS, "sv") == "Alla inskrivningar"
    assert row_label(enrolments, ALL_ENROLMENTS, "en") == "All enrolments"
    # Budgets name an intervention by its name only, as the report always did.
    budgets = ResultTable("budgets", pd.DataFrame({"2025": [1.0]}, index=pd.Index(["INS03"], name="intervention_id")))
    assert row_label(budgets, "INS03", "sv", NAMES) == "Jobbcoach Mora"


def test_report_tables_carry_the_words() -> None:
    analysis = make_analysis()
    analysis = dataclasses.replace(analysis, tables={"participants_by_intervention": _participants(),
                                                     "sex_by_born_abroad": _ground()},
                                   meta={**analysis.meta, "interventions": NAMES})
    for lang, title, first, yes in (("sv", "Deltagare per insats och kön", "INS01 Steg till arbete", "Ja"),
                                    ("en", "Participants by intervention and sex", "INS01 Steg till arbete", "Yes")):
        tables = {t.key: t for t in build_context(analysis, lang=lang).tables()}
        table = tables["participants_by_intervention"]
        assert table.title == title
        assert table.rows[0][0].text == first
        assert table.note.startswith(table_note(_participants(), lang))
        assert tables["sex_by_born_abroad"].rows[0][0].text == yes


def test_analysis_json_carries_codes_and_words() -> None:
    analysis = dataclasses.replace(make_analysis(), tables={"participants_by_intervention": _participants()},
                                   meta={"interventions": NAMES})
    data = json.loads(json.dumps(analysis_document(analysis), default=str))
    table = data["tables"]["participants_by_intervention"]
    assert [row["intervention"] for row in table["rows"]] == ["INS01", "INS03", "total"]
    assert table["title"] == "Deltagare per insats och kön"
    assert table["title_en"] == "Participants by intervention and sex"
    assert table["note"].startswith("Värden under 5") and table["note_en"].startswith("Counts under")
    assert table["row_labels"]["sv"] == {"INS01": "INS01 Steg till arbete", "INS03": "INS03 Jobbcoach Mora",
                                         "total": "Totalt"}
    assert table["row_labels"]["en"]["total"] == "Total"
    assert table["protection"]["method"] == "suppression"


def test_every_indicator_has_words_in_both_languages() -> None:
    from jamkoll.analysis.goals import INDICATORS, UNITS, IndicatorSpec
    from jamkoll.reports.goals import INDICATOR_LABELS, indicator_label, unit_word

    for lang in ("sv", "en"):
        assert set(INDICATOR_LABELS[lang]) == set(INDICATORS)
        assert all(unit_word(unit, lang) != unit or unit == "hours" and lang == "en" or unit == "days"
                   and lang == "en" for unit in UNITS)
    spec = IndicatorSpec("outcome_share", "fortsatt_rehabilitering")
    assert indicator_label(spec, "sv") == "Andel som når utfallet efter avslut: fortsatt rehabilitering"
    assert indicator_label(spec, "en") == "Share reaching the outcome at exit: fortsatt rehabilitering"
    assert indicator_label(IndicatorSpec("mean_cost"), "sv") == "Kostnad per deltagare (medelvärde)"
    assert unit_word("sek", "sv") == "kronor" and unit_word("sek", "en") == "SEK"
