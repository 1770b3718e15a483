"""The words of the analysis' published tables: titles, notes on disclosure control and row labels.

The analysis returns its tables in codes (:class:`jamkoll.analysis.results.ResultTable`: a key, coded rows
and columns, a coded :class:`jamkoll.analysis.disclosure.Protection`); every format (the report's HTML,
PDF, Word and workbook, the web's tables, ``analysis.json``) reads the words from here, in Swedish or
English.
"""

from __future__ import annotations

import json
from typing import Any

from jamkoll.analysis.disclosure import Protection
from jamkoll.analysis.results import ALL_ENROLMENTS, MISSING, NO, YES, Analysis, ResultTable
from jamkoll.reports.text import LANGS, header_label

__all__ = ["analysis_document", "analysis_json", "protection_note", "row_label", "table_document", "table_note",
           "table_title"]

_TITLES: dict[str, dict[str, str]] = {
    "sv": {
        "participants_by_intervention": "Deltagare per insats och kön",
        "participants_by_year": "Deltagare per år (inskrivningsår) och kön",
        "components_by_sex": "Delinsatser som erbjöds, per kön (antal inskrivningar)",
        "enrolments_by_sex": "Inskrivningar per kön",
        "outcomes_by_sex": "Status efter avslut per kön (avslutade inskrivningar)",
        "resources_by_sex": "Resurser per deltagare och kön (medelvärde och median)",
        "representation": "Andel kvinnor bland deltagarna",
        "budgets": "Budget per insats och år (kr)",
        "sex_by": "Deltagare per kön och {ground}",
    },
    "en": {
        "participants_by_intervention": "Participants by intervention and sex",
        "participants_by_year": "Participants by year and sex",
        "components_by_sex": "Components offered by sex (enrolments)",
        "enrolments_by_sex": "Enrolments by sex",
        "outcomes_by_sex": "Outcome after exit by sex",
        "resources_by_sex": "Resources per participant by sex (mean and median)",
        "representation": "Share of women among participants",
        "budgets": "Budget by intervention and year",
        "sex_by": "Participants by sex and {ground}",
    },
}
# The grounds of the intersectional tables (``sex_by_{ground}``) as their titles name them.
_GROUNDS: dict[str, dict[str, str]] = {
    "sv": {
        "age_band": "åldersgrupp", "education": "utbildningsnivå", "income_support_at_start": "försörjning vid start",
        "months_band": "tid i försörjning före start", "referred_by": "remitterande part",
        "employed_at_start": "sysselsättning vid start", "born_abroad": "utrikes född",
        "disability": "funktionsnedsättning",
    },
    "en": {
        "age_band": "age group", "education": "level of education",
        "income_support_at_start": "income support at start",
        "months_band": "time in support before start", "referred_by": "referring organisation",
        "employed_at_start": "employment at start", "born_abroad": "born abroad", "disability": "disability",
    },
}
# Tables whose intervention rows show the id and the name ("INS01 Steg till arbete").
_ID_AND_NAME = frozenset({"participants_by_intervention", "representation"})
_ROWS: dict[str, dict[str, str]] = {
    "sv": {ALL_ENROLMENTS: "Alla inskrivningar", YES: "Ja", NO: "Nej", MISSING: "Uppgift saknas"},
    "en": {ALL_ENROLMENTS: "All enrolments", YES: "Yes", NO: "No", MISSING: "Not known"},
}


def table_title(table: ResultTable, lang: str) -> str:
    """A table's title from its key: ``participants_by_intervention`` -> "Deltagare per insats och kön"."""
    titles = _TITLES[lang]
    if table.key in titles:
        return titles[table.key]
    if table.key.startswith("sex_by_"):
        ground = table.key.removeprefix("sex_by_")
        return titles["sex_by"].format(ground=_GROUNDS[lang].get(ground, ground.replace("_", " ")))
    text = table.key.replace("_", " ")
    return text[:1].upper() + text[1:]


def protection_note(protection: Protection, lang: str) -> str:
    """How a table was protected, in a sentence ("" when nothing had to be done).

    Cell key: the counts are perturbed, equal sets of people get equal values, no count from 1 to
    threshold − 1 is shown, parts need not add up; (``secondary``) values a total would pin are not shown.
    Suppression: values under the threshold (and zeros) are
    hidden, marked with the marker, and (``secondary``) other values so that they cannot be computed from
    the totals. Min group: means and medians of groups under the threshold are withheld."""
    threshold = protection.threshold
    if protection.method == "cell_key":
        marker = protection.marker or ".."
        if lang == "en":
            note = "Values have been randomly perturbed (cell key method); parts may not add up to totals."
            if protection.secondary:
                note += (f" Some values are not shown ({marker}): together with the total they would show that "
                         f"a group has fewer than {threshold or 5} people.")
            return note
        note = ("Antalen är skyddade med cell key-metoden (som SCB använder): de har justerats med små "
                "slumpmässiga tal, samma antal personer får alltid samma värde och inget antal mellan 1 och "
                f"{(threshold or 5) - 1} visas. Delarna summerar därför inte alltid till totalen.")
        if protection.secondary:
            note += (f" Några värden visas inte ({marker}): tillsammans med totalen skulle de visa att en grupp "
                     f"har färre än {threshold or 5} personer.")
        return note
    if protection.method == "suppression":
        if lang == "en":
            return "Counts under the threshold are not shown (..), nor values from which they could be computed."
        zeros = " och nollor" if protection.zeros else ""
        note = f"Värden under {threshold}{zeros} redovisas inte (markerade med {protection.marker or '..'})"
        if protection.secondary:
            note += " och några andra värden har dolts så att de inte kan räknas fram ur summorna"
        return note + "."
    if protection.method == "min_group":
        if lang == "en":
            return "Means for groups of fewer than the threshold are not shown."
        return f"Medelvärden för grupper med färre än {threshold} personer redovisas inte."
    return ""


def table_note(table: ResultTable, lang: str) -> str:
    """A table's note on disclosure control (:func:`protection_note` of its protection)."""
    return protection_note(table.protection, lang)


def row_label(table: ResultTable, value: Any, lang: str, names: dict[str, str] | None = None) -> str:
    """A row of a table in words: an intervention of the participant tables as "INS01 Steg till arbete", of
    other tables by its name, yes/no grounds as "Ja"/"Nej", not known as "Uppgift saknas", the enrolments
    row as "Alla inskrivningar", other codes as the reports write them
    (:func:`jamkoll.reports.text.header_label`); an unknown value as it is."""
    text = str(value)
    names = names or {}
    if names.get(text):
        return f"{text} {names[text]}" if table.key in _ID_AND_NAME else names[text]
    if text in _ROWS[lang] and (text == ALL_ENROLMENTS or table.kind == "intersectional"):
        return _ROWS[lang][text]
    return header_label(value, lang)


def _names(analysis: Analysis) -> dict[str, str]:
    raw = (analysis.meta or {}).get("interventions") or {}
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def table_document(table: ResultTable, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A table's JSON form (``ResultTable.to_dict``: codes) with its words in Swedish and English: ``title``,
    ``title_en``, ``note``, ``note_en`` and ``row_labels`` (``{"sv": {code: label}, "en": {...}}``)."""
    data = table.to_dict()
    index = [] if table.frame.index.nlevels > 1 else list(table.frame.index)
    data.update({
        "title": table_title(table, "sv"), "title_en": table_title(table, "en"),
        "note": table_note(table, "sv"), "note_en": table_note(table, "en"),
        "row_labels": {lang: {str(v): row_label(table, v, lang, names) for v in index} for lang in LANGS},
    })
    return data


def analysis_document(analysis: Analysis) -> dict[str, Any]:
    """``analysis.json``: the analysis in numbers and codes (``Analysis.to_dict``) with each table's words
    (:func:`table_document`), as documented in ``docs/analysis-json.md``."""
    data = analysis.to_dict()
    names = _names(analysis)
    data["tables"] = {k: table_document(t, names) for k, t in analysis.tables.items()}
    return data


def analysis_json(analysis: Analysis, indent: int | None = 2) -> str:
    return json.dumps(analysis_document(analysis), ensure_ascii=False, indent=indent, default=str)
