"""Every table says what it counts: persons or enrolments, and, for participants by intervention, that
the total row counts each person once (issue 11: "Every table says which it counts")."""

from __future__ import annotations

import dataclasses

import pytest

from jamkoll.reports import build_context
from jamkoll.reports.phrases import T

from .conftest import make_analysis


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_participants_table_says_it_counts_persons_once_in_the_total(lang: str) -> None:
    analysis = make_analysis()
    tables = {("participants_by_intervention" if key == "participation" else key):
              dataclasses.replace(rt, key="participants_by_intervention") if key == "participation" else rt
              for key, rt in analysis.tables.items()}
    ctx = build_context(dataclasses.replace(analysis, tables=tables), lang=lang)
    table = next(t for t in ctx.tables() if t.key == "participants_by_intervention")
    assert table.caption == T[lang]["counts_participants_by_intervention"]
    assert ("en gång i raden Totalt" if lang == "sv" else "once in the Total row") in table.caption


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_table_of_counts_says_what_it_counts(lang: str) -> None:
    ctx = build_context(make_analysis(), lang=lang)
    comparisons = ("_findings", "_overall", "_per_intervention")
    with_counts = [t for t in ctx.tables() if t.key.endswith(comparisons)]
    assert {t.key for t in with_counts} >= {"participation_findings", "component_overall", "outcome_per_intervention",
                                            "resource_findings"}
    for table in with_counts:
        assert table.caption, table.key
        assert any(word in table.caption.lower() for word in ("personer", "inskrivningar", "persons", "enrolments"))
    assert not any(ch.isdigit() for t in ctx.tables() for ch in t.caption), "no count hides in a caption"
