"""Header and label vocabulary shared by the readers: which published column or row means which cell.

The readers recognise tables by their *header* (the column names a reader of the report sees), not by
table numbers, so that a reordered report is still read. Labels are compared case-insensitively after
:func:`canon`; the aliases map the report's display labels and ``analysis.json``'s codes to one value.
"""

from __future__ import annotations

import re

from jamkoll.audit.facts import ALL

__all__ = [
    "CATEGORY_DIMENSIONS",
    "COMPARISON_HEADERS",
    "PER_ENROLMENT",
    "PER_YEAR",
    "SEX_COLUMNS",
    "SHARE_OF_WOMEN",
    "TOTAL_LABELS",
    "canon",
    "category",
    "intervention_code",
]

#: Count columns by sex (Swedish and English report headers, ``analysis.json`` column names).
SEX_COLUMNS: dict[str, str] = {
    "kvinnor": "women", "män": "men", "annat kön": "other", "okänt kön": "unknown", "totalt": ALL,
    "women": "women", "men": "men", "other sex": "other", "unknown sex": "unknown", "total": ALL,
    # other and unknown sex published together (the gate's third group)
    "annat/okänt kön": "other_unknown", "annat eller okänt kön": "other_unknown",
    "other/unknown sex": "other_unknown", "other or unknown sex": "other_unknown", "other_unknown": "other_unknown",
}
#: The share of women among women and men, in percent.
SHARE_OF_WOMEN = frozenset({"andel kvinnor (%)", "share of women (%)", "women (%) of participants", "share_women"})
#: Row labels of a table's total row.
TOTAL_LABELS = frozenset({"totalt", "total", "summa", "alla"})

#: First (label) column header -> (measure, dimension). ``intervention``/``year``/``group`` are special.
CATEGORY_DIMENSIONS: dict[str, tuple[str, str]] = {
    "insats": ("participants", "intervention"),
    "intervention": ("participants", "intervention"),
    "år": ("participants", "year"),
    "year": ("participants", "year"),
    "grupp": ("enrolments", "group"),  # "Inskrivningar per kön": enrolments, not people
    "group": ("enrolments", "group"),
    "ålder": ("participants", "age_band"),
    "age_band": ("participants", "age_band"),
    "age": ("participants", "age_band"),
    "utbildningsnivå": ("participants", "education"),
    "education": ("participants", "education"),
    "försörjning vid inskrivning": ("participants", "income_support_at_start"),
    "income_support_at_start": ("participants", "income_support_at_start"),
    "utrikes född": ("participants", "born_abroad"),
    "born_abroad": ("participants", "born_abroad"),
    "funktionsnedsättning": ("participants", "disability"),
    "disability": ("participants", "disability"),
    "delinsats": ("components", "component"),
    "component": ("components", "component"),
    "resultat": ("exits", "outcome"),
    "outcome": ("exits", "outcome"),
}

#: Headers of the comparison tables (women against men).
COMPARISON_HEADERS: dict[str, str] = {
    "antal kvinnor": "n_women", "antal män": "n_men",
    "kvinnor (%)": "rate_women", "män (%)": "rate_men",
    "skillnad (procentenheter)": "difference", "95 % ki": "ci",
    "riskkvot": "ratio", "risk ratio": "ratio",
    "kvinnor, medel": "mean_women", "män, medel": "mean_men",
    "number of women": "n_women", "number of men": "n_men",
    "women (%)": "rate_women", "men (%)": "rate_men",
    "difference (percentage points)": "difference", "95% ci": "ci",
}

# Display labels and codes of the same category (report label -> analysis code).
_ALIASES = {
    "annat": "annan", "other": "annan",
    "okänt": "okänd", "unknown": "okänd",
    "hälsofrämjande insatser": "hälsofrämjande",
    "fortsatt_rehabilitering": "fortsatt rehabilitering",
    "alla inskrivningar": ALL, "all enrolments": ALL, "all_enrolments": ALL,
    # Yes/no grounds of the intersectional tables: analysis.json codes (schema 4) and the English report.
    "yes": "ja", "no": "nej", "missing": "uppgift saknas", "not known": "uppgift saknas",
    # Education and income support at start as the reports word them (Swedish: the code capitalised).
    "ingen ersättning": "ingen", "no benefit": "ingen",
    "compulsory school": "förgymnasial", "upper secondary": "gymnasial", "post-secondary": "eftergymnasial",
    "sickness benefit": "sjukpenning", "activity compensation": "aktivitetsersättning",
    "sickness compensation": "sjukersättning", "social assistance": "försörjningsstöd",
    "activity support": "aktivitetsstöd", "unemployment insurance": "a-kassa",
}
_SPACE = re.compile(r"\s+")
_CODE = re.compile(r"^(INS\d+)\b|\((INS\d+)\)\s*$")


def canon(text: object) -> str:
    """Case-folded label with single spaces (``"Fortsatt  Rehabilitering"`` -> ``"fortsatt rehabilitering"``)."""
    value = _SPACE.sub(" ", str(text).replace("\xa0", " ")).strip().casefold()
    return _ALIASES.get(value, value)


#: Dimensions of which one person can have several values within one year (one per enrolment): a
#: table of persons by such a dimension counts person-value pairs, so its total row is no count of persons.
PER_ENROLMENT = frozenset({"income_support_at_start"})
#: Dimensions fixed within a year but not across years (the age band is by the enrolment's start year).
PER_YEAR = frozenset({"age_band"})


def category(dimension: str, label: object, year: str | None = None) -> str:
    """The category part of a cell identity: ``"dimension=value"`` (``"*"`` for the group total).

    The total row of a table of persons by a dimension a person can have several values of in the
    table's period (:data:`PER_ENROLMENT`; :data:`PER_YEAR` when ``year`` is not one year) counts
    person-value pairs, not persons: its category is ``"dimension=*"``, a cell of its own (the sum of the
    table's rows, at least the persons and at most their enrolments; :mod:`jamkoll.audit.model`)."""
    value = canon(label).replace("_", " ")
    value = _ALIASES.get(value, value)
    if value == ALL or value in TOTAL_LABELS or dimension == "group":
        if dimension in PER_ENROLMENT or (dimension in PER_YEAR and year is not None and not year.isdigit()):
            return f"{dimension}={ALL}"
        return ALL
    return f"{dimension}={value}"


def intervention_code(label: object, names: dict[str, str]) -> str | None:
    """``"INS01 Steg till arbete"`` or ``"Steg till arbete (INS01)"`` -> ``"INS01"``; a bare name via ``names``."""
    text = str(label).strip()
    match = _CODE.search(text)
    if match:
        return match.group(1) or match.group(2)
    return names.get(canon(text))
