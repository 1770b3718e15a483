"""Words and numbers as the report prints them, in Swedish (default) and English.

Every label the four formats show is looked up here, so a term is translated once and reads the
same in the HTML, the PDF, the Word document and the workbook.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from jamkoll.analysis.publication import count_publishable

SUPPRESSED = ".."  # SCB's symbol for a figure that is hidden or too uncertain to publish
MISSING = "–"
NBSP = "\u00a0"
#: Marks a table whose counts are protected with the cell key method; the method section says once
#: what that means, and each such table points to it with this mark instead of repeating it.
CKM_MARK = "\u2020"
MINUS = "\u2212"

LANGS = ("sv", "en")

SEX = {
    "sv": {
        "women": "Kvinnor",
        "men": "Män",
        "other": "Annat kön",
        "unknown": "Okänt kön",
        "other_unknown": "Annat eller okänt kön",
        "total": "Totalt",
    },
    "en": {
        "women": "Women",
        "men": "Men",
        "other": "Other sex",
        "unknown": "Unknown sex",
        "other_unknown": "Other or unknown sex",
        "total": "Total",
    },
}

DIMENSION = {
    "sv": {
        "participation": "Deltagande",
        "component": "Delinsatser",
        "outcome": "Resultat efter avslut",
        "resource": "Resurser",
    },
    "en": {
        "participation": "Participation",
        "component": "Components",
        "outcome": "Outcomes after exit",
        "resource": "Resources",
    },
}

STATUS = {
    "sv": {
        "unjustified": "Möjlig omotiverad skillnad",
        "explained": "Skillnaden förklaras av behov",
        "uncertain": "Osäkert: data räcker inte för att avgöra",
        "none": "Ingen säkerställd skillnad som spelar roll",
    },
    "en": {
        "unjustified": "Possible unjustified difference",
        "explained": "Difference explained by needs",
        "uncertain": "Uncertain: the data cannot tell",
        "none": "No established difference that matters",
    },
}

# Short status words for narrow table columns. Never "no difference": a difference that is not
# established may still be there (the interval says how large it could be).
STATUS_SHORT = {
    "sv": {"unjustified": "Möjligen omotiverad", "explained": "Förklaras av behov", "uncertain": "Osäker",
           "none": "Ej säkerställd"},
    "en": {"unjustified": "Possibly unjustified", "explained": "Explained by needs", "uncertain": "Uncertain",
           "none": "Not established"},
}

CATEGORY = {
    "sv": {
        "share_of_women": "Andel kvinnor",
        "hours": "Personaltid (timmar)",
        "cost_sek": "Kostnad (kr)",
        "duration_days": "Tid i insatsen (dagar)",
        "arbete": "Arbete",
        "studier": "Studier",
        "arbetssökande": "Arbetssökande",
        "fortsatt_rehabilitering": "Fortsatt rehabilitering",
        "sjukskrivning": "Sjukskrivning",
        "annan": "Annat",
        "okänd": "Okänt",
        "kartläggning": "Kartläggning",
        "arbetsträning": "Arbetsträning",
        "praktik": "Praktik",
        "studiestöd": "Studiestöd",
        "samtalsstöd": "Samtalsstöd",
        "hälsofrämjande": "Hälsofrämjande insatser",
        "jobbcoachning": "Jobbcoachning",
        "arbetsgivarkontakt": "Arbetsgivarkontakt",
        "utbildning": "Utbildning",
        "exits_to_work": "Avslut till arbete",
        "exits_to_studies": "Avslut till studier",
        # education and income support at start (../shared/spec/participant-data.md)
        "förgymnasial": "Förgymnasial",
        "gymnasial": "Gymnasial",
        "eftergymnasial": "Eftergymnasial",
        "sjukpenning": "Sjukpenning",
        "aktivitetsersättning": "Aktivitetsersättning",
        "sjukersättning": "Sjukersättning",
        "försörjningsstöd": "Försörjningsstöd",
        "aktivitetsstöd": "Aktivitetsstöd",
        "a-kassa": "A-kassa",
        "ingen": "Ingen ersättning",
    },
    "en": {
        "share_of_women": "Share of women",
        "hours": "Staff time (hours)",
        "cost_sek": "Cost (SEK)",
        "duration_days": "Time in the intervention (days)",
        "arbete": "Work",
        "studier": "Studies",
        "arbetssökande": "Job seeking",
        "fortsatt_rehabilitering": "Further rehabilitation",
        "sjukskrivning": "Sick leave",
        "annan": "Other",
        "okänd": "Unknown",
        "kartläggning": "Assessment",
        "arbetsträning": "Work training",
        "praktik": "Internship",
        "studiestöd": "Study support",
        "samtalsstöd": "Counselling",
        "hälsofrämjande": "Health promotion",
        "jobbcoachning": "Job coaching",
        "arbetsgivarkontakt": "Employer contacts",
        "utbildning": "Education",
        "exits_to_work": "Exits to work",
        "exits_to_studies": "Exits to studies",
        "förgymnasial": "Compulsory school",
        "gymnasial": "Upper secondary",
        "eftergymnasial": "Post-secondary",
        "sjukpenning": "Sickness benefit",
        "aktivitetsersättning": "Activity compensation",
        "sjukersättning": "Sickness compensation",
        "försörjningsstöd": "Social assistance",
        "aktivitetsstöd": "Activity support",
        "a-kassa": "Unemployment insurance",
        "ingen": "No benefit",
    },
}

COVARIATE = {
    "sv": {
        "age_band": "ålder",
        "age": "ålder",
        "education": "utbildningsnivå",
        "income_support_at_start": "försörjning vid inskrivning",
        "months_in_support": "tid i offentlig försörjning",
        "months_band": "tid i offentlig försörjning",
        "referred_by": "remitterande part",
        "employed_at_start": "sysselsättning vid inskrivning",
        "intervention": "insats",
        "year": "år",
        "born_abroad": "utrikes född",
        "disability": "funktionsnedsättning",
        "municipality_code": "kommun",
        "municipality": "kommun",
        "sex": "kön",
        "target_group": "målgrupp",
    },
    "en": {
        "age_band": "age",
        "age": "age",
        "education": "level of education",
        "income_support_at_start": "income support at enrolment",
        "months_in_support": "time in public support",
        "months_band": "time in public support",
        "referred_by": "referring organisation",
        "employed_at_start": "employment at enrolment",
        "intervention": "intervention",
        "year": "year",
        "born_abroad": "born abroad",
        "disability": "disability",
        "municipality_code": "municipality",
        "municipality": "municipality",
        "sex": "sex",
        "target_group": "target group",
    },
}

UNIT = {
    "sv": {
        "pp": "procentenheter",
        "ratio": "gånger",
        "sek": "kr",
        "hours": "timmar",
        "days": "dagar",
        "relative": "%",
        "%": "%",
    },
    "en": {
        "pp": "percentage points",
        "ratio": "times",
        "sek": "SEK",
        "hours": "hours",
        "days": "days",
        "relative": "%",
        "%": "%",
    },
}

# Column and index labels that the analysis may use in its tables.
HEADER = {
    "sv": {
        "intervention": "Insats",
        "intervention_id": "Insats",
        "year": "År",
        "category": "Kategori",
        "component": "Delinsats",
        "outcome": "Resultat",
        "resource": "Resurs",
        "sex": "Kön",
        "target_group": "Målgrupp",
        "group": "Grupp",
        "n": "Antal",
        "count": "Antal",
        "share_of_women": "Andel kvinnor (%)",
        "reference": "Målgruppen",
        "reference_share": "Målgruppen (%)",
        "age_band": "Ålder",
        "education": "Utbildningsnivå",
        "born_abroad": "Utrikes född",
        "income_support_at_start": "Försörjning vid inskrivning",
        "disability": "Funktionsnedsättning",
        "municipality_code": "Kommun",
        "referred_by": "Remitterande part",
        "months_band": "Tid i försörjning",
        "employed_at_start": "Sysselsättning vid inskrivning",
    },
    "en": {
        "intervention": "Intervention",
        "intervention_id": "Intervention",
        "year": "Year",
        "category": "Category",
        "component": "Component",
        "outcome": "Outcome",
        "resource": "Resource",
        "sex": "Sex",
        "target_group": "Target group",
        "group": "Group",
        "n": "Number",
        "count": "Number",
        "share_of_women": "Share of women (%)",
        "reference": "Target group",
        "reference_share": "Target group (%)",
        "age_band": "Age",
        "education": "Education",
        "born_abroad": "Born abroad",
        "income_support_at_start": "Income support at enrolment",
        "disability": "Disability",
        "municipality_code": "Municipality",
        "referred_by": "Referred by",
        "months_band": "Time in support",
        "employed_at_start": "Employment at enrolment",
    },
}

# The coded columns of the analysis' published tables (jamkoll.analysis.results.COLUMNS) as the
# report's tables and the web's head them.
TABLE_COLUMN = {
    "sv": {
        "women": "Kvinnor",
        "men": "Män",
        "other_unknown": "Annat/okänt kön",
        "total": "Totalt",
        "share_women": "Andel kvinnor (%)",
        "women_mean": "Kvinnor medel",
        "women_median": "Kvinnor median",
        "men_mean": "Män medel",
        "men_median": "Män median",
    },
    "en": {
        "women": "Women",
        "men": "Men",
        "other_unknown": "Other/unknown sex",
        "total": "Total",
        "share_women": "Share of women (%)",
        "women_mean": "Women mean",
        "women_median": "Women median",
        "men_mean": "Men mean",
        "men_median": "Men median",
    },
}

# Yes/no categories as the data or the analysis spell them.
_BOOLEAN = {
    "sv": {
        "True": "Ja",
        "False": "Nej",
        "true": "Ja",
        "false": "Nej",
        "ja": "Ja",
        "nej": "Nej",
        "uppgift saknas": "Uppgift saknas",
    },
    "en": {
        "True": "Yes",
        "False": "No",
        "true": "Yes",
        "false": "No",
        "ja": "Yes",
        "nej": "No",
        "uppgift saknas": "Not known",
    },
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def sex_label(code: str, lang: str) -> str:
    return SEX[lang].get(code, code)


def category_label(category: str, lang: str) -> str:
    if category in CATEGORY[lang]:
        return CATEGORY[lang][category]
    text = category.replace("_", " ")
    return text[:1].upper() + text[1:]


def covariate_label(name: str, lang: str) -> str:
    base = name.split("[", 1)[0]
    return COVARIATE[lang].get(base, base.replace("_", " "))


def header_label(value: Any, lang: str) -> str:
    """A table's column or index label in plain words."""
    text = str(value)
    low = text.lower()
    if low in SEX[lang]:
        return SEX[lang][low]
    if low in ("totalt", "total", "all", "alla"):
        return SEX[lang]["total"]
    if low in HEADER[lang]:
        return HEADER[lang][low]
    if text in _BOOLEAN[lang]:
        return _BOOLEAN[lang][text]
    if low in CATEGORY[lang]:
        return CATEGORY[lang][low]
    return text


def column_label(value: Any, lang: str) -> str:
    """A column of an analysis table (a code of :data:`TABLE_COLUMN`, a year ...) in plain words."""
    text = str(value)
    return TABLE_COLUMN[lang].get(text) or header_label(value, lang)


def join_words(items: Iterable[str], lang: str) -> str:
    """'a, b och c' / 'a, b and c'."""
    words = [w for w in items if w]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    last = " och " if lang == "sv" else " and "
    return ", ".join(words[:-1]) + last + words[-1]


def finite(value: Any) -> float | None:
    """A plain float, or None for None, NaN, pandas' NA and text."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fmt_number(value: Any, lang: str, decimals: int = 0, *, signed: bool = False) -> str:
    """Swedish style: decimal comma, a (non-breaking) space between thousands and a real minus sign."""
    number = finite(value)
    if number is None:
        return MISSING
    number = round(number, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0, so no "−0"
    text = f"{abs(number):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    elif abs(number) < 10_000:
        text = text.replace(",", "")
    if number < 0:
        return MINUS + text
    if signed and number > 0:
        return "+" + text
    return text


def fmt_percent(value: Any, lang: str, decimals: int = 1) -> str:
    text = fmt_number(value, lang, decimals)
    return text if text == MISSING else f"{text}{NBSP}%"


def fmt_count(value: Any, threshold: int, lang: str) -> str:
    """A count of people, never one between 1 and the disclosure threshold."""
    number = finite(value)
    if number is None:
        return MISSING
    if not count_publishable(number, threshold):
        return SUPPRESSED
    return fmt_number(number, lang, 0)


def count_is_safe(value: Any, threshold: int) -> bool:
    """Whether a value (of any type) may be printed as a count: the gate's rule
    (:func:`jamkoll.analysis.publication.count_publishable`); not a number is nothing to hide."""
    return count_publishable(finite(value), threshold)


def unit_label(unit: str, lang: str) -> str:
    return UNIT[lang].get(unit, unit)


def fmt_effect_value(value: Any, unit: str, lang: str, *, signed: bool = True) -> str:
    """One effect size with its unit: '−13,5 procentenheter', '+12 %', '0,84 gånger', '−3,2 timmar'."""
    number = finite(value)
    if number is None:
        return MISSING
    if unit == "ratio":
        return f"{fmt_number(number, lang, 2)}"
    if unit == "relative":
        # The analysis gives a relative gap as a fraction of the men's mean; people read per cent.
        return f"{fmt_number(number * 100, lang, 0, signed=signed)}{NBSP}%"
    if unit == "sek":
        return f"{fmt_number(number, lang, 0, signed=signed)}{NBSP}{unit_label(unit, lang)}"
    return f"{fmt_number(number, lang, 1, signed=signed)}{NBSP}{unit_label(unit, lang)}"


def fmt_p(value: Any, lang: str) -> str:
    number = finite(value)
    if number is None:
        return MISSING
    if number < 0.001:
        return "<" + NBSP + fmt_number(0.001, lang, 3)
    return fmt_number(number, lang, 3)
