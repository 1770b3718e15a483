"""The data contract (``shared/spec/participant-data.md``) as code.

Every table the import understands is described here once: its columns, their
English and Swedish headers, their types and, for categories, the allowed values.
The reader, the validator, the store and the demo generator all take their
vocabulary from this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "date", "number", "integer", "boolean", "category", "sex", "personnummer"]

SEX_CODES: tuple[str, ...] = ("women", "men", "other", "unknown")
SEX_LABELS_SV = {"women": "kvinnor", "men": "män", "other": "annat kön", "unknown": "okänt kön"}

# Input spellings of sex, matched after lower-casing and stripping.
SEX_ALIASES: dict[str, str] = {
    "k": "women", "kvinna": "women", "kvinnor": "women", "f": "women", "female": "women",
    "woman": "women", "women": "women", "w": "women",
    "m": "men", "man": "men", "män": "men", "male": "men", "men": "men",
    "a": "other", "annat": "other", "x": "other", "other": "other", "annan": "other",
    "": "unknown", "okänt": "unknown", "okänd": "unknown", "unknown": "unknown", "u": "unknown",
}

# The spellings of sex a template offers (each one of SEX_ALIASES).
SEX_INPUT: tuple[str, ...] = ("kvinna", "man", "annat", "okänt")

EDUCATION = ("förgymnasial", "gymnasial", "eftergymnasial", "okänd")
INCOME_SUPPORT = (
    "sjukpenning", "aktivitetsersättning", "sjukersättning", "försörjningsstöd",
    "aktivitetsstöd", "a-kassa", "ingen", "annan",
)
EMPLOYMENT = ("ingen", "deltid", "heltid", "subventionerad")
REFERRERS = ("Försäkringskassan", "Arbetsförmedlingen", "kommun", "region", "annan")
OUTCOMES = ("arbete", "studier", "arbetssökande", "fortsatt_rehabilitering", "sjukskrivning", "annan", "okänd")
# Components named in the contract; other component names are accepted as they come.
KNOWN_COMPONENTS = (
    "kartläggning", "arbetsträning", "praktik", "studiestöd", "samtalsstöd",
    "hälsofrämjande", "jobbcoachning", "arbetsgivarkontakt", "utbildning",
)

# How an enrolment ended (``avslutsanledning``). SUS / Uppföljning Finsam records a reason on
# utregistrering; "felregistrering" means the enrolment never happened and is removed on import
# (see docs/data-contract-sus.md).
EXIT_REASONS = ("avslutad_enligt_plan", "avbruten", "annan", "felregistrering")
MISREGISTERED = "felregistrering"

# Spellings of category values as SUS / Uppföljning Finsam and everyday files write them, mapped onto
# the contract's codes (None: the value says "unknown", stored as empty). Matching ignores case,
# spaces, "_" and "-", as for headers. One source for the validator, the template and the appendix.
INCOME_SUPPORT_ALIASES: dict[str, str | None] = {
    "sjukpenning inkl. rehabiliteringspenning": "sjukpenning",
    "sjukpenning inkl rehabiliteringspenning": "sjukpenning",
    "rehabiliteringspenning": "sjukpenning",
    "sjukpenning/rehabiliteringspenning": "sjukpenning",
    "aktivitetsstöd inkl. utvecklingsersättning": "aktivitetsstöd",
    "aktivitetsstöd inkl utvecklingsersättning": "aktivitetsstöd",
    "utvecklingsersättning": "aktivitetsstöd",
    "ekonomiskt bistånd": "försörjningsstöd",
    "arbetslöshetsersättning": "a-kassa",
    "arbetslöshetskassa": "a-kassa",
    "akassa": "a-kassa",
    "sjuk- och aktivitetsersättning": "sjukersättning",
    "etableringsersättning": "annan",
    "etableringsersättning inkl. etableringstillägg och bostadsersättning": "annan",
    "studiemedel": "annan",
    "annan försörjning": "annan",
    "annan ersättning": "annan",
    "egen försörjning": "ingen",
    "lön": "ingen",
    "ingen ersättning": "ingen",
    "ingen offentlig försörjning": "ingen",
    "ingen ersättning/okänd": None,
    "okänd": None,
    "okänt": None,
    "uppgift saknas": None,
}
EDUCATION_ALIASES: dict[str, str | None] = {
    "grundskola": "förgymnasial", "förgymnasial utbildning": "förgymnasial", "folkskola": "förgymnasial",
    "gymnasium": "gymnasial", "gymnasieskola": "gymnasial", "gymnasial utbildning": "gymnasial",
    "eftergymnasial utbildning": "eftergymnasial", "högskola": "eftergymnasial",
    "universitet": "eftergymnasial", "universitet/högskola": "eftergymnasial",
    "okänt": "okänd", "uppgift saknas": "okänd",
}
EXIT_REASON_ALIASES: dict[str, str | None] = {
    "avslutad enligt plan": "avslutad_enligt_plan", "enligt plan": "avslutad_enligt_plan",
    "planerat avslut": "avslutad_enligt_plan", "avslut enligt plan": "avslutad_enligt_plan",
    "fullföljd": "avslutad_enligt_plan", "fullföljt": "avslutad_enligt_plan",
    "avbrott": "avbruten", "avbrutit": "avbruten", "avbruten insats": "avbruten",
    "avbrutit insatsen": "avbruten", "deltagaren avbröt": "avbruten",
    "flyttat": "annan", "flytt": "annan", "sjukdom": "annan", "föräldraledighet": "annan",
    "avliden": "annan", "annan anledning": "annan", "övrigt": "annan", "övrig": "annan",
    "felregistrerad": "felregistrering", "felaktig registrering": "felregistrering",
}
OUTCOME_ALIASES: dict[str, str | None] = {
    "förvärvsarbete": "arbete", "arbetar": "arbete", "anställning": "arbete",
    "studerar": "studier", "aktivt arbetssökande": "arbetssökande",
}

BOOLEAN_ALIASES: dict[str, bool] = {
    "1": True, "ja": True, "j": True, "true": True, "sant": True, "yes": True, "y": True, "x": True,
    "0": False, "nej": False, "n": False, "false": False, "falskt": False, "no": False,
}


@dataclass(frozen=True)
class Column:
    name: str
    swedish: tuple[str, ...]
    type: ColumnType
    required: bool = False
    categories: tuple[str, ...] = ()
    english_aliases: tuple[str, ...] = ()
    # Other spellings of category values (e.g. SUS labels) and the code each stands for.
    value_aliases: tuple[tuple[str, str | None], ...] = ()

    @property
    def label(self) -> str:
        """How an error message names the column: English name and Swedish header."""
        return f"{self.name} ({self.swedish[0]})" if self.swedish else self.name

    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.english_aliases, *self.swedish)


@dataclass(frozen=True)
class Table:
    name: str
    swedish: str
    columns: tuple[Column, ...]
    # File or sheet names that announce this table.
    file_hints: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _cat(name: str, swedish: str | tuple[str, ...], categories: tuple[str, ...],
         aliases: dict[str, str | None] | None = None, **kw: object) -> Column:
    spellings = (swedish,) if isinstance(swedish, str) else swedish
    return Column(name, spellings, "category", categories=categories,
                  value_aliases=tuple((aliases or {}).items()), **kw)  # type: ignore[arg-type]


# Identifiers of an intervention; SUS exports name the column "Insats" (an id or a name: the importer
# takes a name that belongs to one intervention as its id).
_INTERVENTION_ID = ("insats_id", "insatsid", "insats")
# The weaker spelling: beside an explicit insats_id, an "Insats" column is its name.
INTERVENTION_NAME_HEADER = "insats"


INTERVENTIONS = Table(
    "interventions", "insatser",
    (
        Column("intervention_id", ("insats_id", "insatsid"), "text", required=True),
        # In a list of interventions, "Insats" is the name; elsewhere it stands for the intervention.
        Column("name", ("namn", "insatsnamn", "insats"), "text", required=True),
        Column("organization", ("förbund", "organisation"), "text"),
        Column("start_date", ("startdatum",), "date"),
        Column("end_date", ("slutdatum",), "date"),
        Column("budget_sek", ("budget_kr", "budget"), "number"),
        Column("year", ("år",), "integer"),
        Column("target_group", ("målgrupp",), "text"),
    ),
    ("interventions", "insatser", "insats"),
)

PARTICIPANTS = Table(
    "participants", "deltagare",
    (
        Column("participant_id", ("deltagar_id", "deltagarid"), "text"),
        Column("personnummer", ("personnummer", "pnr"), "personnummer"),
        Column("sex", ("kön",), "sex", required=True, categories=SEX_CODES, english_aliases=("gender",)),
        Column("birth_year", ("födelseår",), "integer"),
        _cat("education", ("utbildningsnivå", "utbildning", "högsta utbildning"), EDUCATION, EDUCATION_ALIASES),
        Column("born_abroad", ("utrikes_född", "utrikesfödd"), "boolean"),
        Column("disability", ("funktionsnedsättning",), "boolean"),
        Column("municipality_code", ("kommunkod", "folkbokföringskommun", "kommun"), "text"),
    ),
    ("participants", "deltagare"),
)

ENROLMENTS = Table(
    "enrolments", "inskrivningar",
    (
        Column("enrolment_id", ("inskrivnings_id", "inskrivningsid"), "text"),
        Column("participant_id", ("deltagar_id", "deltagarid"), "text"),
        Column("personnummer", ("personnummer", "pnr"), "personnummer"),
        Column("intervention_id", _INTERVENTION_ID, "text", required=True),
        # SUS: "Inregistreringsdatum" / "Utregistreringsdatum".
        Column("start_date", ("inskrivningsdatum", "inregistreringsdatum", "startdatum", "startdatum insats",
                              "datum för inregistrering", "inskriven"), "date", required=True,
               english_aliases=("enrolment_date",)),
        Column("end_date", ("avslutsdatum", "utregistreringsdatum", "slutdatum", "slutdatum insats",
                            "datum för utregistrering", "utskriven"), "date", english_aliases=("exit_date",)),
        _cat("exit_reason", ("avslutsanledning", "avslutsorsak", "anledning till avslut", "orsak till avslut"),
             EXIT_REASONS, EXIT_REASON_ALIASES),
        _cat("income_support_at_start", ("försörjning_vid_start", "försörjning före insats", "försörjning före",
                                         "försörjningskälla före insats", "försörjning vid inregistrering"),
             INCOME_SUPPORT, INCOME_SUPPORT_ALIASES),
        Column("months_in_support", ("månader_i_försörjning",), "integer"),
        _cat("income_support_at_exit", ("försörjning_vid_avslut", "försörjning efter insats", "försörjning efter",
                                        "försörjningskälla efter insats", "försörjning vid utregistrering"),
             INCOME_SUPPORT, INCOME_SUPPORT_ALIASES),
        _cat("employed_at_start", "sysselsättning_vid_start", EMPLOYMENT),
        _cat("referred_by", "remitterande_part", REFERRERS),
        _cat("outcome", ("status_efter_avslut", "sysselsättning efter insats"), OUTCOMES, OUTCOME_ALIASES),
        Column("hours", ("timmar",), "number"),
        Column("cost_sek", ("kostnad_kr",), "number"),
    ),
    ("enrolments", "inskrivningar", "inskrivning"),
)

COMPONENTS = Table(
    "components", "delinsatser",
    (
        Column("enrolment_id", ("inskrivnings_id", "inskrivningsid"), "text"),
        Column("participant_id", ("deltagar_id", "deltagarid"), "text"),
        Column("personnummer", ("personnummer", "pnr"), "personnummer"),
        Column("intervention_id", _INTERVENTION_ID, "text"),
        Column("component", ("delinsats",), "text", required=True),
        Column("date", ("datum",), "date"),
        Column("hours", ("timmar",), "number"),
    ),
    ("components", "delinsatser", "delinsats"),
)

COUNTS = Table(
    "counts", "antal",
    (
        Column("intervention_id", _INTERVENTION_ID, "text", required=True),
        Column("year", ("år",), "integer", required=True),
        Column("sex", ("kön",), "sex", required=True, categories=SEX_CODES, english_aliases=("gender",)),
        Column("participants", ("deltagare", "antal_deltagare"), "integer", required=True),
        Column("exits_to_work", ("avslut_arbete",), "integer"),
        Column("exits_to_studies", ("avslut_studier",), "integer"),
    ),
    ("counts", "antal", "aggregat", "huvudräkning"),
)

REFERENCE = Table(
    "reference_population", "målgrupp",
    (
        Column("year", ("år",), "integer", required=True),
        Column("municipality_code", ("kommunkod", "område"), "text", required=True),
        Column("group", ("grupp",), "text", required=True),
        Column("women", ("kvinnor",), "integer", required=True),
        Column("men", ("män",), "integer", required=True),
    ),
    ("reference", "reference_population", "målgrupp", "referensbefolkning", "malgrupp"),
)

TABLES: dict[str, Table] = {t.name: t for t in (INTERVENTIONS, PARTICIPANTS, ENROLMENTS, COMPONENTS, COUNTS, REFERENCE)}

# The wide sheet carries participant and enrolment columns in one row per enrolment.
WIDE = Table(
    "wide", "bred tabell",
    tuple({c.name: c for c in (*PARTICIPANTS.columns, *ENROLMENTS.columns)}.values()),
    ("wide", "bred", "samlad"),
)

_HEADER_JUNK = re.compile(r"[\s_\-]+")


def normalise_header(header: object) -> str:
    """Header matching ignores case, spaces and ``_``/``-`` (the contract's rule)."""
    return _HEADER_JUNK.sub("", str(header or "").strip().lower().lstrip("\ufeff"))


def header_index(table: Table) -> dict[str, str]:
    """Map every accepted spelling of a header (normalised) to the canonical column name."""
    index: dict[str, str] = {}
    for col in table.columns:
        for spelling in col.headers():
            index.setdefault(normalise_header(spelling), col.name)
    return index


# Parts of a header that say a column holds enrolment data: dates of a stay in an intervention, its
# exit, income support, employment status. An unknown column with such a header is refused rather
# than kept as a background variable, so that enrolment data is never lost without a word.
ENROLMENT_LIKE_STEMS: tuple[str, ...] = tuple(normalise_header(s) for s in (
    "datum", "date", "start", "slut", "avslut", "inskriv", "utskriv", "registrer", "försörjning",
    "ersättning", "orsak", "anledning", "sysselsättning", "status", "remitt", "utfall", "insats",
))


def looks_like_enrolment_data(header: object) -> bool:
    """Whether an unknown header names enrolment data (see :data:`ENROLMENT_LIKE_STEMS`)."""
    key = normalise_header(header)
    return any(stem in key for stem in ENROLMENT_LIKE_STEMS)


def known_headers() -> set[str]:
    """Every header spelling (normalised) of every table of the contract."""
    return {key for table in (*TABLES.values(), WIDE) for key in header_index(table)}


def value_lookup(col: Column) -> dict[str, str | None]:
    """Accepted spellings (normalised) of a category column's values and the code each stands for."""
    lookup: dict[str, str | None] = {normalise_header(c): c for c in col.categories}
    for spelling, code in col.value_aliases:
        lookup.setdefault(normalise_header(spelling), code)
    return lookup
