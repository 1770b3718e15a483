"""The analysis' coded table columns and rows are written in words by the reports layer, in Swedish
and English (the analysis itself writes no display labels)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from jamkoll.analysis.results import ResultTable
from jamkoll.reports import build_context
from jamkoll.reports.text import column_label

from .conftest import make_analysis


def _coded() -> ResultTable:
    index = pd.Index(["INS01", "INS03", "total"], name="intervention")
    frame = pd.DataFrame({"women": [300, 150, 450], "men": [210, 170, 380], "other_unknown": [0, 0, 0],
                          "total": [510, 320, 830], "share_women": [58.8, 46.9, 54.2]}, index=index)
    return ResultTable("participants_by_intervention", frame, frame.isna(), topic="participation")


def test_coded_columns_read_as_before_in_swedish_and_in_english_words() -> None:
    analysis = dataclasses.replace(make_analysis(), tables={"participants_by_intervention": _coded()})
    sv = next(t for t in build_context(analysis).tables() if t.key == "participants_by_intervention")
    assert sv.header == ["Insats", "Kvinnor", "Män", "Annat/okänt kön", "Totalt", "Andel kvinnor (%)"]
    assert [row[0].text for row in sv.rows][-1] == "Totalt" and sv.rows[-1][1].emphasis
    en = next(t for t in build_context(analysis, lang="en").tables() if t.key == "participants_by_intervention")
    assert en.header == ["Intervention", "Women", "Men", "Other/unknown sex", "Total", "Share of women (%)"]
    assert [row[0].text for row in en.rows][-1] == "Total"


def test_resource_rows_and_mean_columns_have_words() -> None:
    assert column_label("women_mean", "sv") == "Kvinnor medel" and column_label("men_median", "en") == "Men median"
    frame = pd.DataFrame({"women_mean": [10.5], "women_median": [8.0], "men_mean": [12.0], "men_median": [9.0]},
                         index=pd.Index(["hours"], name="resource"))
    table = ResultTable("resources_by_sex", frame, frame.isna(), kind="means", topic="resource")
    analysis = dataclasses.replace(make_analysis(), tables={"resources_by_sex": table})
    sv = next(t for t in build_context(analysis).tables() if t.key == "resources_by_sex")
    assert sv.header == ["Resurs", "Kvinnor medel", "Kvinnor median", "Män medel", "Män median"]
    assert sv.rows[0][0].text == "Personaltid (timmar)"
