"""The cell key method is explained once (method section, symbols, about) and each protected table
points to it with a mark, in every language, instead of repeating the explanation under every table."""

from __future__ import annotations

import dataclasses

import pytest

from jamkoll.analysis.disclosure import Protection
from jamkoll.analysis.results import Analysis
from jamkoll.reports import build_context
from jamkoll.reports.labels import protection_note
from jamkoll.reports.model import BulletList, Paragraph, ReportContext, Section
from jamkoll.reports.phrases import T
from jamkoll.reports.text import CKM_MARK

from .conftest import make_analysis

CKM_NOTES = tuple(protection_note(Protection("cell_key", 5), lang) for lang in ("sv", "en"))


def _cell_key_analysis() -> Analysis:
    analysis = make_analysis()
    tables = {key: dataclasses.replace(rt, protection=Protection("cell_key", 5)) if rt.kind == "counts" else rt
              for key, rt in analysis.tables.items()}
    config = dataclasses.replace(analysis.config, disclosure_method="cell_key")
    return dataclasses.replace(analysis, config=config, tables=tables)


def _texts(section: Section) -> list[str]:
    found: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            found.append(block.text)
        elif isinstance(block, BulletList):
            found += block.items
    for sub in section.subsections:
        found += _texts(sub)
    return found


def _everything(ctx: ReportContext) -> str:
    parts = [text for sec in ctx.sections for text in _texts(sec)]
    parts += [t.note for t in ctx.tables()] + [value for _, value in ctx.about]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_protected_tables_carry_the_mark_not_the_explanation(lang: str) -> None:
    ctx = build_context(_cell_key_analysis(), lang=lang)
    protected = [t for t in ctx.tables() if t.key == "participation" or t.key.endswith("_findings")
                 or t.key.endswith("_overall") or t.key.endswith("_per_intervention")]
    assert protected
    for table in protected:
        assert table.note.startswith(CKM_MARK), (table.key, table.note)
        assert table.note.startswith(T[lang]["ckm_ref"])
    for table in ctx.tables():
        for sentence in CKM_NOTES:
            assert sentence not in table.note, table.key
    # The rest of a table's own note stays: the generic ".." explanation of its hidden cells.
    participation = next(t for t in ctx.tables() if t.key == "participation")
    assert T[lang]["generic_note"] in participation.note


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_mark_is_explained_once_in_the_method_section(lang: str) -> None:
    ctx = build_context(_cell_key_analysis(), lang=lang)
    method = ctx.sections[-1]
    symbols = _texts(method)
    assert sum(text.startswith(CKM_MARK) for text in symbols) == 1
    assert T[lang]["m_symbol_ckm"] in symbols
    # One explanation of the mark in the method section and one in the about facts (for the workbook).
    whole = _everything(ctx)
    assert whole.count(T[lang]["m_symbol_ckm"]) == 1
    assert CKM_MARK in dict(ctx.about)[T[lang]["about_symbols"]]
    assert "cell key" in dict(ctx.about)[T[lang]["about_symbols"]].lower()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_html_mark_links_to_the_method_section(lang: str) -> None:
    from jamkoll.reports.html import render_html

    html = render_html(build_context(_cell_key_analysis(), lang=lang))
    anchor = "metod-disclosure" if lang == "sv" else "method-disclosure"
    assert f'id="{anchor}"' in html
    assert html.count(f'<a href="#{anchor}">{CKM_MARK}</a>') >= 3
    assert CKM_NOTES[0] not in html and CKM_NOTES[1] not in html
