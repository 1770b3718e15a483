"""What the report says: the analysis turned into sections of text, tables and charts, written once.

The four writers (HTML, PDF, Word, Excel) lay out the :class:`~jamkoll.reports.model.ReportContext`
built here and never compute or format a figure themselves.

Disclosure: the analysis' tables have already been through disclosure control and are shown as
they are (a hidden cell is printed ``..``). Counts that this module takes from findings (the number
of women and men behind a comparison) have not, so each is checked against the threshold before it
is printed, and a comparison based on fewer women or men than the threshold shows no values at all.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jamkoll.analysis.results import DIMENSIONS, Analysis, Effect, Finding, ResultTable
from jamkoll.reports import charts
from jamkoll.reports.model import (
    BulletList,
    Cell,
    Figure,
    FindingBlock,
    KeyFigure,
    KeyFigures,
    Paragraph,
    ReportContext,
    Section,
    Table,
)
from jamkoll.reports.text import (
    DIMENSION,
    MISSING,
    NBSP,
    SEX,
    STATUS,
    STATUS_SHORT,
    SUPPRESSED,
    category_label,
    check_lang,
    count_is_safe,
    covariate_label,
    finite,
    fmt_count,
    fmt_effect_value,
    fmt_number,
    fmt_p,
    fmt_percent,
    header_label,
    join_words,
    unit_label,
)

DEFAULT_THRESHOLD = 5
MAX_SUMMARY_BULLETS = 6
MAX_DECOMPOSITION_CHARTS = 4

LAYOUT = {
    "sv": {"contents": "Innehåll", "page": "Sida", "figure": "Figur", "table": "Tabell", "note": "Not",
           "generated": "Skapad", "about": "Om rapporten", "of": "av", "source": "Källa",
           "status": "Bedömning", "yes": "Ja", "no": "Nej"},
    "en": {"contents": "Contents", "page": "Page", "figure": "Figure", "table": "Table", "note": "Note",
           "generated": "Created", "about": "About the report", "of": "of", "source": "Source",
           "status": "Assessment", "yes": "Yes", "no": "No"},
}

# Topics the analysis' tables are sorted into, by words in their key (or title).
_TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intersectional", ("intersection", "intersektion", "intersek")),
    ("trend", ("trend", "by_year", "per_year", "years", "yearly", "over_time", "per_år", "år_för_år")),
    ("target", ("target", "reference", "representation", "målgrupp")),
    ("participation", ("particip", "deltag", "enrol", "inskriv", "headcount", "counts")),
    ("component", ("component", "delinsats")),
    ("outcome", ("outcome", "exit", "resultat", "avslut")),
    ("resource", ("resource", "hours", "cost", "duration", "resurs", "timmar", "kostnad")),
)


@dataclass
class _Settings:
    lang: str
    threshold: int
    year: int | None
    organisation: str
    names: dict[str, str]
    intervention: str | None
    restricted: bool  # the analysis itself covers only the chosen intervention
    config: dict[str, Any]
    meta: dict[str, Any]
    t: dict[str, str] = field(default_factory=dict)

    def name(self, intervention: str | None, *, with_id: bool = False) -> str:
        if intervention is None:
            return self.t["all_interventions"]
        name = self.names.get(intervention, "")
        if not name or name == intervention:
            return intervention
        return f"{name} ({intervention})" if with_id else name


# --------------------------------------------------------------------------------------------------
# Texts. Plain language first (klarspråk): short sentences, everyday words, the reader addressed.

T: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Jämställdhetsuppföljning {year}",
        "title_no_year": "Jämställdhetsuppföljning",
        "subtitle_board": "Könsuppdelad uppföljning av insatserna – underlag till styrelsen",
        "subtitle_steering": "Rapport till styrgruppen för {name}",
        "all_interventions": "Alla insatser",
        "period_year": "under {year}",
        "period_all": "under hela perioden",
        "summary": "Sammanfattning",
        "summary_lead": (
            "Rapporten visar hur kvinnor och män har tagit del av {what} {period}. Vi jämför vilka som "
            "deltog, vilka delinsatser de fick, hur det gick för dem efter avslut och hur mycket resurser "
            "som lades på kvinnor och på män. En skillnad som inte förklaras av deltagarnas behov och "
            "förutsättningar kallar vi en möjlig omotiverad skillnad. Den behöver utredas vidare – den är "
            "inte i sig ett bevis på att någon har behandlats fel."
        ),
        "what_board": "de insatser som {org} finansierade",
        "what_board_no_org": "de insatser som förbundet finansierade",
        "what_steering": "insatsen {name}",
        "kf_women": "Kvinnor",
        "kf_men": "Män",
        "kf_share": "{share} av deltagarna",
        "kf_interventions": "Insatser",
        "kf_flagged": "Möjliga omotiverade skillnader",
        "kf_explained": "Skillnader som förklaras av behov",
        "kf_comparisons": "av {n} jämförelser",
        "kf_enrolments_note": "Antalet räknar inskrivningar: den som deltog i flera insatser räknas en gång per insats.",
        "per_intervention": "Deltagare per insats",
        "per_intervention_caption": "Antal kvinnor och män per insats och andelen kvinnor jämfört med målgruppen.",
        "flagged_head": "Möjliga omotiverade skillnader",
        "flagged_none": "Vi hittade inga möjliga omotiverade skillnader mellan kvinnor och män.",
        "flagged_count": "Vi hittade {n} möjliga omotiverade skillnader:",
        "flagged_count_one": "Vi hittade en möjlig omotiverad skillnad:",
        "flagged_more": "… och {n} till. Alla beskrivs i avsnittet Möjliga omotiverade skillnader.",
        "explained_head": "Skillnader som förklaras av behov",
        "explained_more": "… och {n} till. Alla beskrivs i avsnittet Möjliga omotiverade skillnader.",
        "explained_none": "Ingen av skillnaderna förklaras helt av deltagarnas behov och förutsättningar.",
        "explained_count": "{n} skillnader försvinner när vi tar hänsyn till deltagarnas behov och förutsättningar:",
        "explained_count_one": "En skillnad försvinner när vi tar hänsyn till deltagarnas behov och förutsättningar:",
        "overview_head": "Deltagande, delinsatser, resultat och resurser",
        "overview_caption": "Antal jämförelser mellan kvinnor och män per område och hur de bedömdes.",
        "col_area": "Område",
        "col_comparisons": "Jämförelser",
        "col_flagged": "Möjligen omotiverade",
        "col_explained": "Förklaras av behov",
        "col_none": "Ingen säkerställd skillnad",
        "change_head": "Förändring sedan förra året",
        "change_none": (
            "Rapporten jämför inte med föregående år, eftersom ingen analys av föregående år fanns med när "
            "rapporten skapades."
        ),
        "change_new": "Nya möjliga omotiverade skillnader i år: {items}.",
        "change_gone": "Skillnader som inte längre bedöms som möjligen omotiverade: {items}.",
        "change_kept": "Kvarstår sedan {prev}: {items}.",
        "change_same": "Inga möjliga omotiverade skillnader vare sig {prev} eller i år.",
        "change_share": "Andelen kvinnor bland deltagarna var {now} i år och {before} {prev}.",
        "prev_year": "förra året",
        "todo_head_board": "Förslag till styrelsen",
        "todo_head_steering": "Förslag till styrgruppen",
        "todo_board": (
            "Be styrgrupperna för de berörda insatserna att ta reda på orsakerna till de möjliga omotiverade "
            "skillnaderna.|Besluta om åtgärder i handlingsplanen, med ansvarig och datum.|Följ upp "
            "skillnaderna i nästa års rapport."
        ),
        "todo_steering": (
            "Gå igenom de möjliga omotiverade skillnaderna och ta reda på orsakerna.|Föreslå åtgärder till "
            "förbundets handlingsplan, med ansvarig och datum.|Följ upp skillnaderna vid nästa uppföljning."
        ),
        "todo_nothing": "Fortsätt att följa upp könsuppdelad statistik varje år.",
        "findings": "Möjliga omotiverade skillnader",
        "findings_lead": (
            "Här beskrivs varje jämförelse där kvinnor och män skilde sig åt. En skillnad är möjligen "
            "omotiverad när den finns kvar efter att vi har tagit hänsyn till deltagarnas behov och "
            "förutsättningar, till exempel försörjning vid inskrivning, ålder och utbildning. En skillnad "
            "förklaras av behov när den försvinner när vi tar hänsyn till dem. Ett negativt tal betyder att "
            "värdet är lägre för kvinnor än för män."
        ),
        "findings_flagged": "Möjliga omotiverade skillnader",
        "findings_explained": "Skillnader som förklaras av behov",
        "findings_none_flagged": "Inga möjliga omotiverade skillnader hittades.",
        "findings_none_explained": "Inga skillnader förklarades av behov.",
        "findings_chart": "Skillnader mellan kvinnor och män efter justering för behov",
        "findings_chart_alt": (
            "Diagram över skillnaden mellan kvinnor och män (kvinnor minus män) i procentenheter efter "
            "justering för behov, med 95 procents konfidensintervall. Värden under noll betyder lägre för "
            "kvinnor. "
        ),
        "fact_women": "Kvinnor",
        "fact_men": "Män",
        "fact_target": "Andel kvinnor i målgruppen",
        "fact_share_women": "Andel kvinnor bland deltagarna",
        "fact_raw": "Skillnad utan justering",
        "fact_adjusted": "Skillnad efter justering",
        "fact_adjusted_for": "Justerat för",
        "fact_ratio": "Kvot kvinnor/män",
        "fact_certainty": "Statistisk säkerhet",
        "fact_n": "Underlag",
        "n_people": "{w} kvinnor och {m} män",
        "n_other": ", {o} med annat eller okänt kön (ingår inte i jämförelsen)",
        "ci": "95 % konfidensintervall {low} till {high}",
        "q_text": "q = {q} (p-värde justerat för många jämförelser)",
        "nothing": "inget",
        "too_few": "Färre än {t} kvinnor eller män: värdena visas inte för att skydda enskilda personer.",
        "vs_men": "{women} för kvinnor och {men} för män",
        "default_higher": "{what}: {value} {higher} för {sex} ({status}).",
        "higher": "högre",
        "women_word": "kvinnor",
        "men_word": "män",
        "participation": "Deltagande och målgrupp",
        "participation_lead": (
            "Här jämförs andelen kvinnor bland deltagarna med andelen kvinnor i insatsens målgrupp, det vill "
            "säga de personer som insatsen är till för. Om kvinnor är färre bland deltagarna än i målgruppen "
            "kan det betyda att insatsen inte når kvinnor lika väl som män, eller tvärtom."
        ),
        "participation_chart": "Andel kvinnor bland deltagarna och i målgruppen",
        "participation_chart_alt": (
            "Stapeldiagram över andelen kvinnor bland deltagarna per insats, med 95 procents "
            "konfidensintervall, jämfört med andelen kvinnor i målgruppen (svart streck). "
        ),
        "share_women_bar": "Andel kvinnor bland deltagarna",
        "share_women_ref": "Andel kvinnor i målgruppen",
        "share_axis": "Andel kvinnor (%)",
        "participation_table": "Deltagare och målgrupp per insats",
        "participants_sub": "Deltagare",
        "target_sub": "Målgruppens sammansättning",
        "component": "Delinsatser",
        "component_lead": (
            "Delinsatser är det stöd deltagarna får inom en insats, till exempel arbetsträning, praktik eller "
            "samtalsstöd. Här visas hur stor andel av kvinnorna och av männen som fick varje delinsats."
        ),
        "outcome": "Resultat efter avslut",
        "outcome_lead": (
            "Här visas vad deltagarna gick till när de avslutade insatsen, till exempel arbete, studier eller "
            "fortsatt rehabilitering, som andel av kvinnorna och av männen som avslutade."
        ),
        "rate_chart": "{what}: andel kvinnor och män, {where}",
        "rate_chart_alt": (
            "Stapeldiagram över {what_lower} för kvinnor och män ({where_lower}), i procent, med 95 procents "
            "konfidensintervall. "
        ),
        "rate_axis": "Andel (%)",
        "rate_table_overall": "{what} för kvinnor och män, {where}",
        "rate_table_per": "{what} för kvinnor och män per insats",
        "resource": "Resurser",
        "resource_lead": (
            "Här jämförs hur mycket resurser som lades på kvinnor och på män: personaltid, kostnad och tid i "
            "insatsen. Ett jämställt arbetssätt innebär att resurserna fördelas efter behov, inte efter kön."
        ),
        "resource_chart": "{what}: skillnad mellan kvinnor och män",
        "resource_chart_alt": (
            "Diagram över skillnaden i {what_lower} mellan kvinnor och män (kvinnor minus män) per insats, "
            "med 95 procents konfidensintervall. Värden under noll betyder mindre för kvinnor. "
        ),
        "resource_table": "Resurser för kvinnor och män",
        "diff_axis": "Skillnad kvinnor − män ({unit})",
        "lower_women": "← lägre för kvinnor",
        "higher_women": "högre för kvinnor →",
        "decomposition_sub": "Vad förklarar skillnaderna i resurser?",
        "decomposition_lead": (
            "Skillnaden mellan kvinnors och mäns genomsnitt delas här upp i två delar. Den förklarade delen "
            "beror på att kvinnor och män i genomsnitt har olika behov och förutsättningar, till exempel "
            "olika försörjning vid inskrivning. Den oförklarade delen finns kvar även när kvinnor och män med "
            "samma behov jämförs. Det är den delen som kan vara omotiverad. Metoden kallas "
            "Blinder–Oaxaca-uppdelning."
        ),
        "decomposition_chart": "{what}, {where}: förklarad och oförklarad skillnad",
        "decomposition_chart_alt": (
            "Stapeldiagram över skillnaden i {what_lower} mellan kvinnor och män ({where_lower}): total "
            "skillnad {gap}, varav {explained} förklaras av skillnader i behov och förutsättningar och "
            "{unexplained} inte förklaras. "
        ),
        "dec_total": "Total skillnad",
        "dec_explained": "Förklaras av behov och förutsättningar",
        "dec_unexplained": "Förklaras inte",
        "dec_by": "varav {what}",
        "dec_group_total": "Total skillnad",
        "dec_group_parts": "Förklarad och oförklarad del",
        "dec_group_vars": "Förklarad del per faktor",
        "dec_table": "Uppdelning av skillnader i resurser",
        "dec_col_resource": "Resurs",
        "dec_col_where": "Insats",
        "dec_col_women": "Kvinnor, medel",
        "dec_col_men": "Män, medel",
        "dec_col_gap": "Skillnad",
        "dec_col_explained": "Förklarad del",
        "dec_col_unexplained": "Oförklarad del",
        "dec_axis": "Kvinnor − män ({unit})",
        "intersectional": "Kön och andra förhållanden (intersektionell analys)",
        "intersectional_lead": (
            "Kön samverkar med andra förhållanden, till exempel ålder, utbildning och om man är född "
            "utomlands. Tabellerna visar kvinnor och män uppdelade efter sådana förhållanden, så att "
            "skillnader som bara gäller vissa grupper blir synliga."
        ),
        "intersectional_none": "Analysen innehåller inga intersektionella tabeller.",
        "trend": "Utveckling över tid",
        "trend_lead": "Här visas hur könsfördelningen och skillnaderna har utvecklats från år till år.",
        "trend_none": (
            "Analysen innehåller inga uppgifter för flera år och ingen analys av föregående år fanns med, så "
            "utvecklingen över tid kan inte visas."
        ),
        "trend_chart": "{what} per år",
        "trend_chart_alt": "Linjediagram över {what_lower} per år. ",
        "yoy_table": "Jämförelse med {prev}",
        "yoy_measure": "Mått",
        "yoy_before": "{prev}",
        "yoy_now": "I år",
        "yoy_change": "Förändring",
        "yoy_participants_w": "Kvinnor som deltog",
        "yoy_participants_m": "Män som deltog",
        "yoy_share": "Andel kvinnor (%)",
        "yoy_flagged": "Möjliga omotiverade skillnader",
        "yoy_explained": "Skillnader som förklaras av behov",
        "status_table": "Bedömningar som har ändrats sedan {prev}",
        "col_comparison": "Jämförelse",
        "col_before": "{prev}",
        "col_now": "I år",
        "not_compared": "Inte jämförd",
        "other_tables": "Fler tabeller",
        "method": "Metodbilaga",
        "method_lead": (
            "Bilagan beskriver hur siffrorna har tagits fram. Den är skriven för den som inte är statistiker."
        ),
        "m_data": "Vad som jämförs",
        "m_data_text": (
            "Underlaget är uppgifter om deltagarna i de insatser som förbundet finansierar: kön, ålder, "
            "utbildning, försörjning vid inskrivning, vilka delinsatser de fick, hur mycket personaltid och "
            "pengar som lades på dem och vad de gick till efter avslut. {period_text} Personer med annat "
            "eller okänt kön räknas i antalen men ingår inte i jämförelserna mellan kvinnor och män, "
            "eftersom de är för få för säkra jämförelser."
        ),
        "m_period_year": "Rapporten gäller inskrivningar som började {year}.",
        "m_period_all": "Rapporten gäller alla år i underlaget.",
        "m_tests": "Hur skillnader prövas",
        "m_tests_text": (
            "För varje jämförelse räknar vi ut skillnaden mellan kvinnor och män (kvinnor minus män). För "
            "andelar anges skillnaden i procentenheter, för resurser i timmar, kronor, dagar eller procent. "
            "Konfidensintervallet är det intervall inom vilket den verkliga skillnaden troligen ligger (med "
            "95 procents säkerhet). Om intervallet inte innehåller noll är skillnaden statistiskt säkerställd: "
            "den beror sannolikt inte på slumpen."
        ),
        "m_methods_used": "Metoder som används i den här analysen: {items}.",
        "m_adjust": "Justering för behov",
        "m_adjust_text": (
            "Kvinnor och män som kommer till insatserna har ofta olika behov. Till exempel har kvinnor oftare "
            "sjukpenning vid inskrivningen. En del skillnader är därför motiverade. För att skilja motiverade "
            "från möjligen omotiverade skillnader jämför vi kvinnor och män med samma behov och "
            "förutsättningar, med en statistisk modell (regression). {covariates}"
        ),
        "m_adjust_covariates": "I den här analysen justeras för {items}.",
        "m_multiple": "Många jämförelser",
        "m_multiple_text": (
            "När man gör många jämförelser blir några skillnader statistiskt säkerställda av ren slump. Därför "
            "justeras p-värdena med Benjamini–Hochbergs metod. Det justerade värdet kallas q-värde. En "
            "skillnad räknas bara om q-värdet är mindre än {q}. Då är högst {q_pct} av de skillnader som pekas "
            "ut falsklarm, i genomsnitt."
        ),
        "m_rules": "Hur en skillnad bedöms",
        "m_rule_unjustified": (
            "Möjlig omotiverad skillnad: skillnaden finns kvar och är statistiskt säkerställd även efter "
            "justering för behov och förutsättningar."
        ),
        "m_rule_explained": (
            "Skillnaden förklaras av behov: det finns en säkerställd skillnad utan justering, men den "
            "försvinner när kvinnor och män med samma behov jämförs."
        ),
        "m_rule_none": "Ingen säkerställd skillnad: skillnaden är så liten att den kan bero på slumpen.",
        "m_rule_participation": (
            "För deltagande jämförs andelen kvinnor bland deltagarna med andelen kvinnor i målgruppen."
        ),
        "m_oaxaca": "Uppdelning av skillnader i resurser",
        "m_oaxaca_text": (
            "Skillnader i genomsnittliga resurser delas upp med Blinder–Oaxaca-metoden i en förklarad del "
            "(kvinnor och män har olika behov och förutsättningar) och en oförklarad del (skillnaden mellan "
            "kvinnor och män med samma behov). De två delarna summerar till hela skillnaden."
        ),
        "m_disclosure": "Skydd för enskilda personer",
        "m_disclosure_text": (
            "Inga uppgifter i rapporten ska kunna kopplas till en enskild person. Därför visas inte antal "
            "mellan 1 och {t1}: de ersätts med två punkter (..). Ibland döljs också andra uppgifter, så att "
            "en dold uppgift inte kan räknas fram ur summor. Andelar och medelvärden visas bara när de bygger "
            "på minst {t} kvinnor och {t} män."
        ),
        "m_disclosure_cellkey": (
            "I tabellerna har antalen dessutom ändrats slumpmässigt med några enheter (cell key-metoden, som "
            "SCB använder). Därför summerar delarna inte alltid exakt till totalen."
        ),
        "m_symbols": "Teckenförklaring",
        "m_symbol_suppressed": ".. Uppgiften visas inte för att skydda enskilda personer.",
        "m_symbol_missing": "– Uppgift saknas eller kan inte beräknas.",
        "m_symbol_ci": "KI Konfidensintervall (95 procent).",
        "m_symbol_pp": "Procentenheter: skillnaden mellan två procenttal, till exempel 40 % − 30 % = 10 procentenheter.",
        "m_about": "Om rapporten",
        "about_report": "Rapport",
        "about_org": "Organisation",
        "about_year": "År",
        "about_year_all": "Alla år",
        "about_intervention": "Insats",
        "about_created": "Skapad",
        "about_tool": "Skapad med",
        "about_threshold": "Röjandeskydd",
        "about_threshold_text": "Antal under {t} visas inte (..).",
        "about_comparisons": "Jämförelser",
        "about_comparisons_text": "{n} jämförelser, varav {f} möjliga omotiverade skillnader och {e} förklarade av behov.",
        "about_previous": "Jämförs med",
        "about_symbols": "Teckenförklaring",
        "about_symbols_text": ".. = visas inte för att skydda enskilda personer; – = uppgift saknas.",
        "generic_note": ".. = uppgiften visas inte för att skydda enskilda personer.",
        "small_n_note": "Uppgifter som bygger på färre än {t} kvinnor eller män visas inte (..).",
        "col_intervention": "Insats",
        "col_category": "{what}",
        "col_n_women": "Antal kvinnor",
        "col_n_men": "Antal män",
        "col_women_pct": "Kvinnor (%)",
        "col_men_pct": "Män (%)",
        "col_women_mean": "Kvinnor, medel",
        "col_men_mean": "Män, medel",
        "col_share_women": "Andel kvinnor (%)",
        "col_target": "Målgruppen (%)",
        "col_diff_pp": "Skillnad (procentenheter)",
        "col_diff": "Skillnad",
        "col_ci": "95 % KI",
        "col_adjusted": "Efter justering",
        "col_status": "Bedömning",
        "category_component": "Delinsats",
        "category_outcome": "Resultat",
        "category_resource": "Resurs",
        "overall_lower": "alla insatser",
    },
    "en": {
        "title": "Gender-equality follow-up {year}",
        "title_no_year": "Gender-equality follow-up",
        "subtitle_board": "Sex-disaggregated follow-up of the interventions – for the board",
        "subtitle_steering": "Report to the steering group of {name}",
        "all_interventions": "All interventions",
        "period_year": "in {year}",
        "period_all": "over the whole period",
        "summary": "Summary",
        "summary_lead": (
            "This report shows how women and men took part in {what} {period}. We compare who took part, "
            "which components they received, how they fared after exit and how much resources were spent on "
            "women and on men. A difference that participants' needs and circumstances do not explain is "
            "called a possible unjustified difference. It needs to be looked into – it is not in itself "
            "proof that anyone was treated wrongly."
        ),
        "what_board": "the interventions funded by {org}",
        "what_board_no_org": "the interventions funded by the association",
        "what_steering": "the intervention {name}",
        "kf_women": "Women",
        "kf_men": "Men",
        "kf_share": "{share} of participants",
        "kf_interventions": "Interventions",
        "kf_flagged": "Possible unjustified differences",
        "kf_explained": "Differences explained by needs",
        "kf_comparisons": "of {n} comparisons",
        "kf_enrolments_note": "The numbers count enrolments: a person in several interventions counts once in each.",
        "per_intervention": "Participants per intervention",
        "per_intervention_caption": "Women and men per intervention and the share of women compared with the target group.",
        "flagged_head": "Possible unjustified differences",
        "flagged_none": "We found no possible unjustified differences between women and men.",
        "flagged_count": "We found {n} possible unjustified differences:",
        "flagged_count_one": "We found one possible unjustified difference:",
        "flagged_more": "… and {n} more. All are described in the section Possible unjustified differences.",
        "explained_head": "Differences explained by needs",
        "explained_more": "… and {n} more. All are described in the section Possible unjustified differences.",
        "explained_none": "None of the differences is fully explained by participants' needs and circumstances.",
        "explained_count": "{n} differences disappear when participants' needs and circumstances are taken into account:",
        "explained_count_one": "One difference disappears when participants' needs and circumstances are taken into account:",
        "overview_head": "Participation, components, outcomes and resources",
        "overview_caption": "Number of comparisons of women and men per area and how they were assessed.",
        "col_area": "Area",
        "col_comparisons": "Comparisons",
        "col_flagged": "Possibly unjustified",
        "col_explained": "Explained by needs",
        "col_none": "No established difference",
        "change_head": "Changes since last year",
        "change_none": "The report does not compare with the previous year: no analysis of that year was given.",
        "change_new": "New possible unjustified differences this year: {items}.",
        "change_gone": "No longer assessed as possibly unjustified: {items}.",
        "change_kept": "Remaining since {prev}: {items}.",
        "change_same": "No possible unjustified differences in {prev} or this year.",
        "change_share": "The share of women among participants was {now} this year and {before} in {prev}.",
        "prev_year": "last year",
        "todo_head_board": "Suggestions to the board",
        "todo_head_steering": "Suggestions to the steering group",
        "todo_board": (
            "Ask the steering groups of the interventions concerned to find the causes of the possible "
            "unjustified differences.|Decide on actions in the action plan, with owners and dates.|Follow up "
            "the differences in next year's report."
        ),
        "todo_steering": (
            "Go through the possible unjustified differences and find their causes.|Propose actions for the "
            "association's action plan, with owners and dates.|Follow up the differences next time."
        ),
        "todo_nothing": "Keep following up sex-disaggregated statistics every year.",
        "findings": "Possible unjustified differences",
        "findings_lead": (
            "Each comparison in which women and men differed is described here. A difference is possibly "
            "unjustified when it remains after taking participants' needs and circumstances into account, "
            "such as income support at enrolment, age and education. It is explained by needs when it "
            "disappears once these are taken into account. A negative number means the value is lower for "
            "women than for men."
        ),
        "findings_flagged": "Possible unjustified differences",
        "findings_explained": "Differences explained by needs",
        "findings_none_flagged": "No possible unjustified differences were found.",
        "findings_none_explained": "No differences were explained by needs.",
        "findings_chart": "Differences between women and men after adjustment for needs",
        "findings_chart_alt": (
            "Chart of the difference between women and men (women minus men) in percentage points after "
            "adjustment for needs, with 95 per cent confidence intervals. Values below zero mean lower for "
            "women. "
        ),
        "fact_women": "Women",
        "fact_men": "Men",
        "fact_target": "Share of women in the target group",
        "fact_share_women": "Share of women among participants",
        "fact_raw": "Difference before adjustment",
        "fact_adjusted": "Difference after adjustment",
        "fact_adjusted_for": "Adjusted for",
        "fact_ratio": "Ratio women/men",
        "fact_certainty": "Statistical certainty",
        "fact_n": "Based on",
        "n_people": "{w} women and {m} men",
        "n_other": ", {o} of other or unknown sex (not compared)",
        "ci": "95% confidence interval {low} to {high}",
        "q_text": "q = {q} (p-value adjusted for multiple comparisons)",
        "nothing": "nothing",
        "too_few": "Fewer than {t} women or men: values are not shown, to protect individuals.",
        "vs_men": "{women} for women and {men} for men",
        "default_higher": "{what}: {value} {higher} for {sex} ({status}).",
        "higher": "higher",
        "women_word": "women",
        "men_word": "men",
        "participation": "Participation and target group",
        "participation_lead": (
            "The share of women among participants is compared with the share of women in the intervention's "
            "target group, the people it is meant for. If women are fewer among participants than in the "
            "target group, the intervention may not reach women as well as men, or the other way round."
        ),
        "participation_chart": "Share of women among participants and in the target group",
        "participation_chart_alt": (
            "Bar chart of the share of women among participants per intervention, with 95 per cent confidence "
            "intervals, compared with the share of women in the target group (black tick). "
        ),
        "share_women_bar": "Share of women among participants",
        "share_women_ref": "Share of women in the target group",
        "share_axis": "Share of women (%)",
        "participation_table": "Participants and target group per intervention",
        "participants_sub": "Participants",
        "target_sub": "Composition of the target group",
        "component": "Components",
        "component_lead": (
            "Components are the support participants get within an intervention, such as work training, "
            "internships or counselling. The share of women and of men who received each component is shown."
        ),
        "outcome": "Outcomes after exit",
        "outcome_lead": (
            "What participants went on to when they left the intervention, such as work, studies or further "
            "rehabilitation, as a share of the women and of the men who left."
        ),
        "rate_chart": "{what}: share of women and men, {where}",
        "rate_chart_alt": (
            "Bar chart of {what_lower} for women and men ({where_lower}), in per cent, with 95 per cent "
            "confidence intervals. "
        ),
        "rate_axis": "Share (%)",
        "rate_table_overall": "{what} for women and men, {where}",
        "rate_table_per": "{what} for women and men per intervention",
        "resource": "Resources",
        "resource_lead": (
            "How much resources were spent on women and on men: staff time, cost and time in the "
            "intervention. In a gender-equal practice resources follow needs, not sex."
        ),
        "resource_chart": "{what}: difference between women and men",
        "resource_chart_alt": (
            "Chart of the difference in {what_lower} between women and men (women minus men) per "
            "intervention, with 95 per cent confidence intervals. Values below zero mean less for women. "
        ),
        "resource_table": "Resources for women and men",
        "diff_axis": "Difference women − men ({unit})",
        "lower_women": "← lower for women",
        "higher_women": "higher for women →",
        "decomposition_sub": "What explains the differences in resources?",
        "decomposition_lead": (
            "The difference between the averages of women and men is split in two parts. The explained part "
            "is due to women and men having different needs and circumstances on average, such as different "
            "income support at enrolment. The unexplained part remains when women and men with the same needs "
            "are compared; that is the part that may be unjustified. The method is called the Blinder–Oaxaca "
            "decomposition."
        ),
        "decomposition_chart": "{what}, {where}: explained and unexplained difference",
        "decomposition_chart_alt": (
            "Bar chart of the difference in {what_lower} between women and men ({where_lower}): total "
            "difference {gap}, of which {explained} is explained by differences in needs and circumstances "
            "and {unexplained} is not explained. "
        ),
        "dec_total": "Total difference",
        "dec_explained": "Explained by needs and circumstances",
        "dec_unexplained": "Not explained",
        "dec_by": "of which {what}",
        "dec_group_total": "Total difference",
        "dec_group_parts": "Explained and unexplained part",
        "dec_group_vars": "Explained part by factor",
        "dec_table": "Decomposition of differences in resources",
        "dec_col_resource": "Resource",
        "dec_col_where": "Intervention",
        "dec_col_women": "Women, mean",
        "dec_col_men": "Men, mean",
        "dec_col_gap": "Difference",
        "dec_col_explained": "Explained part",
        "dec_col_unexplained": "Unexplained part",
        "dec_axis": "Women − men ({unit})",
        "intersectional": "Sex and other circumstances (intersectional analysis)",
        "intersectional_lead": (
            "Sex interacts with other circumstances, such as age, education and being born abroad. The tables "
            "split women and men by such circumstances, so that differences that only concern some groups "
            "become visible."
        ),
        "intersectional_none": "The analysis contains no intersectional tables.",
        "trend": "Development over time",
        "trend_lead": "How the sex distribution and the differences developed from year to year.",
        "trend_none": (
            "The analysis holds no figures for several years and no analysis of the previous year was given, "
            "so the development over time cannot be shown."
        ),
        "trend_chart": "{what} per year",
        "trend_chart_alt": "Line chart of {what_lower} per year. ",
        "yoy_table": "Comparison with {prev}",
        "yoy_measure": "Measure",
        "yoy_before": "{prev}",
        "yoy_now": "This year",
        "yoy_change": "Change",
        "yoy_participants_w": "Women who took part",
        "yoy_participants_m": "Men who took part",
        "yoy_share": "Share of women (%)",
        "yoy_flagged": "Possible unjustified differences",
        "yoy_explained": "Differences explained by needs",
        "status_table": "Assessments that changed since {prev}",
        "col_comparison": "Comparison",
        "col_before": "{prev}",
        "col_now": "This year",
        "not_compared": "Not compared",
        "other_tables": "More tables",
        "method": "Method appendix",
        "method_lead": "This appendix describes how the figures were produced. It is written for non-statisticians.",
        "m_data": "What is compared",
        "m_data_text": (
            "The data describe the participants in the interventions the association funds: sex, age, "
            "education, income support at enrolment, the components they received, the staff time and money "
            "spent on them and what they went on to after exit. {period_text} People of other or unknown sex "
            "are counted but not included in the comparisons of women and men, as they are too few for "
            "reliable comparisons."
        ),
        "m_period_year": "The report covers enrolments that started in {year}.",
        "m_period_all": "The report covers all years in the data.",
        "m_tests": "How differences are tested",
        "m_tests_text": (
            "For each comparison we compute the difference between women and men (women minus men). For "
            "shares the difference is given in percentage points, for resources in hours, SEK, days or per "
            "cent. The confidence interval is the range in which the true difference probably lies (with 95 "
            "per cent certainty). If it does not contain zero the difference is statistically established: it "
            "is probably not due to chance."
        ),
        "m_methods_used": "Methods used in this analysis: {items}.",
        "m_adjust": "Adjustment for needs",
        "m_adjust_text": (
            "Women and men who come to the interventions often have different needs; women, for example, are "
            "more often on sickness benefit at enrolment. Some differences are therefore justified. To tell "
            "justified from possibly unjustified differences, we compare women and men with the same needs and "
            "circumstances using a statistical model (regression). {covariates}"
        ),
        "m_adjust_covariates": "This analysis adjusts for {items}.",
        "m_multiple": "Many comparisons",
        "m_multiple_text": (
            "With many comparisons, some differences become statistically established by pure chance. The "
            "p-values are therefore adjusted with the Benjamini–Hochberg method; the adjusted value is called "
            "the q-value. A difference only counts if its q-value is below {q}. Then at most {q_pct} of the "
            "differences pointed out are false alarms, on average."
        ),
        "m_rules": "How a difference is assessed",
        "m_rule_unjustified": (
            "Possible unjustified difference: the difference remains statistically established after "
            "adjustment for needs and circumstances."
        ),
        "m_rule_explained": (
            "Explained by needs: there is an established difference before adjustment, but it disappears when "
            "women and men with the same needs are compared."
        ),
        "m_rule_none": "No established difference: the difference is small enough to be due to chance.",
        "m_rule_participation": (
            "For participation, the share of women among participants is compared with the share of women in "
            "the target group."
        ),
        "m_oaxaca": "Decomposition of differences in resources",
        "m_oaxaca_text": (
            "Differences in average resources are split with the Blinder–Oaxaca method into an explained part "
            "(women and men have different needs and circumstances) and an unexplained part (the difference "
            "between women and men with the same needs). The two parts add up to the whole difference."
        ),
        "m_disclosure": "Protecting individuals",
        "m_disclosure_text": (
            "No figure in the report may be traceable to an individual. Counts between 1 and {t1} are "
            "therefore not shown: they are replaced by two dots (..). Sometimes other figures are hidden too, "
            "so that a hidden figure cannot be computed from totals. Shares and means are shown only when "
            "they are based on at least {t} women and {t} men."
        ),
        "m_disclosure_cellkey": (
            "In the tables the counts have also been changed at random by a few units (the cell key method "
            "used by Statistics Sweden), so parts do not always add up exactly to the total."
        ),
        "m_symbols": "Symbols",
        "m_symbol_suppressed": ".. Not shown, to protect individuals.",
        "m_symbol_missing": "– Not available or cannot be computed.",
        "m_symbol_ci": "CI Confidence interval (95 per cent).",
        "m_symbol_pp": "Percentage points: the difference between two percentages, e.g. 40% − 30% = 10 points.",
        "m_about": "About the report",
        "about_report": "Report",
        "about_org": "Organisation",
        "about_year": "Year",
        "about_year_all": "All years",
        "about_intervention": "Intervention",
        "about_created": "Created",
        "about_tool": "Created with",
        "about_threshold": "Disclosure control",
        "about_threshold_text": "Counts below {t} are not shown (..).",
        "about_comparisons": "Comparisons",
        "about_comparisons_text": "{n} comparisons: {f} possible unjustified differences and {e} explained by needs.",
        "about_previous": "Compared with",
        "about_symbols": "Symbols",
        "about_symbols_text": ".. = not shown, to protect individuals; – = not available.",
        "generic_note": ".. = not shown, to protect individuals.",
        "small_n_note": "Figures based on fewer than {t} women or men are not shown (..).",
        "col_intervention": "Intervention",
        "col_category": "{what}",
        "col_n_women": "Women",
        "col_n_men": "Men",
        "col_women_pct": "Women (%)",
        "col_men_pct": "Men (%)",
        "col_women_mean": "Women, mean",
        "col_men_mean": "Men, mean",
        "col_share_women": "Share of women (%)",
        "col_target": "Target group (%)",
        "col_diff_pp": "Difference (points)",
        "col_diff": "Difference",
        "col_ci": "95% CI",
        "col_adjusted": "After adjustment",
        "col_status": "Assessment",
        "category_component": "Component",
        "category_outcome": "Outcome",
        "category_resource": "Resource",
        "overall_lower": "all interventions",
    },
}

# Plain descriptions of the methods named in Effect.method.
METHODS = {
    "sv": {
        "newcombe": "skillnad mellan två andelar med Newcombes konfidensintervall",
        "fisher": "Fishers exakta test", "chi": "chitvåtest",
        "binomial": "exakt binomialtest mot målgruppens andel",
        "clopper": "exakt konfidensintervall för en andel (Clopper–Pearson)",
        "welch": "Welchs t-test för skillnad mellan medelvärden",
        "logit": "logistisk regression (genomsnittlig marginaleffekt)",
        "ols": "linjär regression med robusta standardfel",
        "katz": "kvot mellan två andelar (Katz konfidensintervall)",
        "oaxaca": "Blinder–Oaxaca-uppdelning",
    },
    "en": {
        "newcombe": "difference between two proportions with Newcombe's confidence interval",
        "fisher": "Fisher's exact test", "chi": "chi-square test",
        "binomial": "exact binomial test against the target group's share",
        "clopper": "exact confidence interval for a proportion (Clopper–Pearson)",
        "welch": "Welch's t-test for a difference in means",
        "logit": "logistic regression (average marginal effect)",
        "ols": "linear regression with robust standard errors",
        "katz": "ratio of two proportions (Katz confidence interval)",
        "oaxaca": "Blinder–Oaxaca decomposition",
    },
}

RESOURCE_UNITS = {"hours": "hours", "cost_sek": "sek", "duration_days": "days"}


# --------------------------------------------------------------------------------------------------
# Entry point


def build_context(
    analysis: Analysis,
    *,
    lang: str = "sv",
    intervention: str | None = None,
    previous: Analysis | None = None,
    today: dt.date | None = None,
) -> ReportContext:
    """The whole report's content, in ``lang``, for the association or for one ``intervention``.

    ``previous`` is the analysis of the year before; with it the summary and the trend section say
    what changed.
    """
    check_lang(lang)
    s = _settings(analysis, lang, intervention)
    findings = _select(analysis.findings, s)
    prev_findings = _select(previous.findings, s) if previous is not None else None
    prev_label = _previous_label(previous, s)
    topics = _sort_tables(analysis, s)

    sections = [
        _summary(s, findings, prev_findings, prev_label, topics),
        _findings_section(s, findings),
        _participation_section(s, findings, topics),
        _rate_section(s, findings, topics, "component"),
        _rate_section(s, findings, topics, "outcome"),
        _resource_section(s, findings, topics, analysis.decompositions),
        _intersectional_section(s, topics),
        _trend_section(s, findings, prev_findings, prev_label, topics, previous),
        _other_section(s, topics),
        _method_section(s, analysis, findings),
    ]
    sections = [sec for sec in sections if not sec.is_empty()]
    _number(sections)

    year_text = str(s.year) if s.year is not None else ""
    title = s.t["title"].format(year=year_text) if s.year is not None else s.t["title_no_year"]
    if intervention is not None:
        title = f"{title}: {s.name(intervention)}"
        subtitle = s.t["subtitle_steering"].format(name=s.name(intervention, with_id=True))
    else:
        subtitle = s.t["subtitle_board"]
    generated = (today or dt.date.today()).isoformat()
    about = _about(s, title, findings, generated, prev_label if previous is not None else None)
    return ReportContext(
        lang=lang, title=title, subtitle=subtitle, organisation=s.organisation, year=s.year,
        intervention=intervention, generated=generated, threshold=s.threshold, sections=sections,
        about=about, labels=dict(LAYOUT[lang]),
    )


# --------------------------------------------------------------------------------------------------
# Settings read from the analysis


def _lookup(mapping: Any, *keys: str) -> Any:
    """The first of ``keys`` present in ``mapping`` or in its ``disclosure`` sub-dict."""
    if not isinstance(mapping, dict):
        return None
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    sub = mapping.get("disclosure")
    if isinstance(sub, dict):
        for key in keys:
            if sub.get(key) is not None:
                return sub[key]
    return None


def _settings(analysis: Analysis, lang: str, intervention: str | None) -> _Settings:
    config, meta = analysis.config or {}, analysis.meta or {}
    threshold = _lookup(config, "threshold", "disclosure_threshold") or _lookup(meta, "threshold")
    try:
        threshold = int(threshold) if threshold is not None else DEFAULT_THRESHOLD
    except (TypeError, ValueError):
        threshold = DEFAULT_THRESHOLD
    year = _lookup(config, "year") or _lookup(meta, "year")
    try:
        year = int(year) if year is not None else None
    except (TypeError, ValueError):
        year = None
    organisation = str(_lookup(meta, "organisation", "organization", "association", "organisation_name")
                       or _lookup(config, "organisation", "organization", "association") or "")
    names = _intervention_names(meta.get("interventions")) or _intervention_names(config.get("interventions"))
    known = {f.intervention for f in analysis.findings if f.intervention}
    scope = _lookup(config, "interventions", "intervention")
    scope_ids = [scope] if isinstance(scope, str) else [
        (x.get("id") if isinstance(x, dict) else x) for x in scope] if isinstance(scope, list) else []
    restricted = intervention is not None and [str(x) for x in scope_ids] == [intervention]
    if intervention is not None and intervention not in known and intervention not in names and not restricted:
        raise ValueError(f"intervention {intervention!r} is not in the analysis "
                         f"(known: {', '.join(sorted(known | set(names))) or 'none'})")
    return _Settings(lang=lang, threshold=threshold, year=year, organisation=organisation, names=names,
                     intervention=intervention, restricted=restricted, config=config, meta=meta, t=T[lang])


def _intervention_names(raw: Any) -> dict[str, str]:
    """Intervention id -> name from ``{id: name}``, ``{id: {"name": ...}}`` or ``[{"id", "name"}]``."""
    names: dict[str, str] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, str):
                names[str(key)] = value
            elif isinstance(value, dict) and value.get("name"):
                names[str(key)] = str(value["name"])
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                ident = item.get("id") or item.get("intervention_id") or item.get("intervention")
                if ident and item.get("name"):
                    names[str(ident)] = str(item["name"])
    return names


def _select(findings: Sequence[Finding], s: _Settings) -> list[Finding]:
    if s.intervention is None:
        return list(findings)
    return [f for f in findings if f.intervention == s.intervention]


def _previous_label(previous: Analysis | None, s: _Settings) -> str:
    if previous is None:
        return s.t["prev_year"]
    year = _lookup(previous.config or {}, "year") or _lookup(previous.meta or {}, "year")
    return str(year) if year is not None else s.t["prev_year"]


# --------------------------------------------------------------------------------------------------
# Small helpers


def _status_sort(f: Finding) -> tuple[int, int, str, str]:
    order = {"unjustified": 0, "explained": 1, "none": 2}
    return (order[f.status], DIMENSIONS.index(f.dimension), f.intervention or "", f.category)


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    """Overall comparisons first, then by intervention, then by category."""
    return sorted(findings, key=lambda f: (f.intervention is not None, f.intervention or "", f.category))


def _small(f: Finding, s: _Settings) -> bool:
    """Too few women or men for the comparison's figures to be published."""
    return not (count_is_safe(f.n_women, s.threshold) and count_is_safe(f.n_men, s.threshold))


def _effective(f: Finding) -> Effect:
    return f.adjusted if f.adjusted is not None and f.adjusted.estimate is not None else f.raw


def _finding_title(f: Finding, s: _Settings) -> str:
    where = s.name(f.intervention, with_id=f.intervention is not None)
    return f"{DIMENSION[s.lang][f.dimension]}: {category_label(f.category, s.lang)} – {where}"


def _value_text(f: Finding, value: float | None, s: _Settings) -> str:
    if f.dimension == "resource":
        unit = RESOURCE_UNITS.get(f.category, "")
        return fmt_effect_value(value, unit, s.lang, signed=False) if unit else fmt_number(value, s.lang, 1)
    return fmt_percent(value, s.lang)


def _effect_text(e: Effect | None, s: _Settings) -> str:
    if e is None or e.estimate is None:
        return MISSING
    text = fmt_effect_value(e.estimate, e.unit, s.lang)
    if e.ci_low is not None and e.ci_high is not None:
        low = fmt_effect_value(e.ci_low, e.unit, s.lang)
        high = fmt_effect_value(e.ci_high, e.unit, s.lang)
        text += f" ({s.t['ci'].format(low=low, high=high)})"
    return text


def _explanation(f: Finding, s: _Settings) -> str:
    text = f.explanation_en if s.lang == "en" else f.explanation
    if text:
        return text
    if s.lang == "en" and f.explanation:
        return f.explanation
    # The analysis gave no sentence: say what is known in the plainest form.
    effect = _effective(f)
    sex = f.higher_for()
    if sex is None or effect.estimate is None:
        return f"{_finding_title(f, s)}: {STATUS[s.lang][f.status].lower()}."
    return s.t["default_higher"].format(
        what=_finding_title(f, s), value=fmt_effect_value(abs(effect.estimate), effect.unit, s.lang, signed=False),
        higher=s.t["higher"], sex=s.t["women_word" if sex == "women" else "men_word"],
        status=STATUS[s.lang][f.status].lower())


def _wilson(rate_pct: float | None, n: int) -> tuple[float | None, float | None]:
    """95 % Wilson interval, in per cent, for a rate given in per cent over n people."""
    if rate_pct is None or n <= 0:
        return None, None
    p = min(1.0, max(0.0, rate_pct / 100.0))
    z = 1.959963984540054
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def _num(value: Any, s: _Settings, decimals: int, *, fmt: str = "0.0", signed: bool = False) -> Cell:
    number = finite(value)
    return Cell(fmt_number(number, s.lang, decimals, signed=signed), number, fmt if number is not None else
                "General", align="right")


def _count_cell(value: Any, s: _Settings) -> Cell:
    number = finite(value)
    if number is not None and not count_is_safe(number, s.threshold):
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    return Cell(fmt_count(number, s.threshold, s.lang), int(number) if number is not None else None, "#,##0",
                align="right")


def _hidden(n: int = 1) -> list[Cell]:
    return [Cell(SUPPRESSED, None, suppressed=True, align="right") for _ in range(n)]


def _ci_cell(e: Effect | None, s: _Settings) -> Cell:
    if e is None or e.ci_low is None or e.ci_high is None:
        return Cell(MISSING, None, align="right")
    low = fmt_effect_value(e.ci_low, e.unit, s.lang).split(NBSP)[0]
    high = fmt_effect_value(e.ci_high, e.unit, s.lang).split(NBSP)[0]
    joiner = " till " if s.lang == "sv" else " to "
    return Cell(f"{low}{joiner}{high}", f"{low}{joiner}{high}", align="right")


def _effect_cell(e: Effect | None, s: _Settings) -> Cell:
    if e is None or e.estimate is None:
        return Cell(MISSING, None, align="right")
    text = fmt_effect_value(e.estimate, e.unit, s.lang).split(NBSP)[0]
    value = e.estimate * 100 if e.unit == "relative" else e.estimate
    fmt = "+0.0;-0.0;0.0" if e.unit != "sek" else "+#,##0;-#,##0;0"
    if e.unit == "ratio":
        fmt = "0.00"
    return Cell(text, value, fmt, align="right")


def _status_cell(f: Finding, s: _Settings) -> Cell:
    return Cell(STATUS_SHORT[s.lang][f.status], STATUS_SHORT[s.lang][f.status], emphasis=f.flagged)


def _unit_words(e: Effect | None, s: _Settings) -> str:
    return unit_label(e.unit, s.lang) if e is not None else ""


# --------------------------------------------------------------------------------------------------
# Findings: tables and blocks


def _finding_table(key: str, title: str, findings: list[Finding], s: _Settings, dimension: str, *,
                   with_intervention: bool, with_category: bool = True) -> Table | None:
    if not findings:
        return None
    t = s.t
    header: list[str] = []
    if with_intervention:
        header.append(t["col_intervention"])
    if with_category and dimension != "participation":
        header.append(t[f"category_{dimension}"])
    label_columns = len(header)
    units = {f.raw.unit for f in findings}
    unit = units.pop() if len(units) == 1 else ""
    if dimension == "participation":
        header += [t["col_n_women"], t["col_n_men"], t["col_share_women"], t["col_target"],
                   t["col_diff_pp"], t["col_ci"], t["col_status"]]
    elif dimension == "resource":
        diff_head = t["col_diff"] + (f" ({_unit_words(findings[0].raw, s)})" if unit else "")
        header += [t["col_n_women"], t["col_n_men"], t["col_women_mean"], t["col_men_mean"],
                   diff_head, t["col_ci"], t["col_adjusted"], t["col_status"]]
    else:
        header += [t["col_n_women"], t["col_n_men"], t["col_women_pct"], t["col_men_pct"],
                   t["col_diff_pp"], t["col_ci"], t["col_adjusted"], t["col_status"]]
    rows: list[list[Cell]] = []
    any_small = False
    for f in findings:
        row: list[Cell] = []
        if with_intervention:
            row.append(Cell(s.name(f.intervention), s.name(f.intervention)))
        if with_category and dimension != "participation":
            row.append(Cell(category_label(f.category, s.lang), category_label(f.category, s.lang)))
        row += [_count_cell(f.n_women, s), _count_cell(f.n_men, s)]
        small = _small(f, s)
        any_small = any_small or small
        if dimension == "participation":
            if small:
                row += _hidden(4)
            else:
                row += [_num(f.women_value, s, 1), _num(f.reference_value, s, 1), _effect_cell(f.raw, s),
                        _ci_cell(f.raw, s)]
        else:
            decimals = 0 if f.category == "cost_sek" else 1
            fmt = "#,##0" if decimals == 0 else "0.0"
            if small:
                row += _hidden(5)
            else:
                row += [_num(f.women_value, s, decimals, fmt=fmt), _num(f.men_value, s, decimals, fmt=fmt),
                        _effect_cell(f.raw, s), _ci_cell(f.raw, s), _effect_cell(f.adjusted, s)]
        row.append(_status_cell(f, s))
        rows.append(row)
    note = t["small_n_note"].format(t=s.threshold) if any_small or any(
        c.suppressed for r in rows for c in r) else ""
    return Table(key=key, title=title, header=header, rows=rows, note=note, label_columns=label_columns)


def _finding_block(f: Finding, s: _Settings) -> FindingBlock:
    t = s.t
    facts: list[tuple[str, str]] = []
    notes = list(f.notes)
    if _small(f, s):
        notes.insert(0, t["too_few"].format(t=s.threshold))
    else:
        if f.dimension == "participation":
            facts.append((t["fact_share_women"], fmt_percent(f.women_value, s.lang)))
            if f.reference_value is not None:
                facts.append((t["fact_target"], fmt_percent(f.reference_value, s.lang)))
        else:
            facts.append((t["fact_women"], _value_text(f, f.women_value, s)))
            facts.append((t["fact_men"], _value_text(f, f.men_value, s)))
        facts.append((t["fact_raw"], _effect_text(f.raw, s)))
        if f.adjusted is not None and f.adjusted.estimate is not None:
            facts.append((t["fact_adjusted"], _effect_text(f.adjusted, s)))
        if f.risk_ratio is not None and f.risk_ratio.estimate is not None:
            facts.append((t["fact_ratio"], _effect_text(f.risk_ratio, s)))
        q = f.q_adjusted if f.q_adjusted is not None else f.q_raw
        if q is not None:
            facts.append((t["fact_certainty"], t["q_text"].format(q=fmt_p(q, s.lang))))
    if f.adjusted_for:
        facts.append((t["fact_adjusted_for"], join_words(
            dict.fromkeys(covariate_label(c, s.lang) for c in f.adjusted_for), s.lang)))
    n_text = t["n_people"].format(w=fmt_count(f.n_women, s.threshold, s.lang),
                                  m=fmt_count(f.n_men, s.threshold, s.lang))
    if f.n_other:
        n_text += t["n_other"].format(o=fmt_count(f.n_other, s.threshold, s.lang))
    facts.append((t["fact_n"], n_text))
    return FindingBlock(id=f.id, title=_finding_title(f, s), status=f.status,
                        status_label=STATUS[s.lang][f.status], explanation=_explanation(f, s), facts=facts,
                        notes=notes)


# --------------------------------------------------------------------------------------------------
# Sections


def _overview_counts(findings: list[Finding], s: _Settings) -> Table:
    t = s.t
    header = [t["col_area"], t["col_comparisons"], t["col_flagged"], t["col_explained"], t["col_none"]]
    rows = []
    for dim in DIMENSIONS:
        part = [f for f in findings if f.dimension == dim]
        if not part:
            continue
        counts = [len(part)] + [sum(f.status == st for f in part) for st in ("unjustified", "explained", "none")]
        rows.append([Cell(DIMENSION[s.lang][dim], DIMENSION[s.lang][dim])] + [
            Cell(fmt_number(c, s.lang), c, "0", align="right", emphasis=(i == 1 and c > 0))
            for i, c in enumerate(counts)])
    return Table(key="overview", title=t["overview_head"], header=header, rows=rows, caption=t["overview_caption"])


def _participants(findings: list[Finding], s: _Settings,
                  topics: dict[str, list[ResultTable]]) -> tuple[float | None, float | None, bool]:
    """Women and men who took part, and whether the figures count enrolments rather than people.

    A published total from the analysis' tables is preferred; otherwise the overall participation
    comparison; otherwise the sum over interventions (people in several interventions counted in each).
    """
    from_table = _participants_from_tables(topics.get("participation", []), s)
    if from_table is not None:
        return from_table[0], from_table[1], False
    part = [f for f in findings if f.dimension == "participation"]
    wanted = s.intervention
    for f in part:
        if f.intervention == wanted:
            return float(f.n_women), float(f.n_men), False
    if part and wanted is None:
        by_intervention = {f.intervention: f for f in part if f.intervention}
        women = sum(f.n_women for f in by_intervention.values())
        men = sum(f.n_men for f in by_intervention.values())
        return float(women), float(men), len(by_intervention) > 1
    return None, None, False


def _participants_from_tables(tables: list[ResultTable], s: _Settings) -> tuple[float, float] | None:
    for rt in tables:
        if rt.kind != "counts":
            continue
        frame = rt.frame
        cols = {header_label(c if not isinstance(c, tuple) else c[-1], "en"): c for c in frame.columns}
        if "Women" not in cols or "Men" not in cols:
            continue
        labels = [_row_key(idx) for idx in frame.index]
        wanted = None
        if s.intervention is None:
            for i, lab in enumerate(labels):
                if any(str(x).lower() in ("totalt", "total", "all", "alla") for x in lab):
                    wanted = i
            if wanted is None and len(frame) == 1:
                wanted = 0
        else:
            names = {s.intervention, s.names.get(s.intervention, s.intervention)}
            for i, lab in enumerate(labels):
                if any(str(x) in names for x in lab):
                    wanted = i
        if wanted is None:
            continue
        women, men = finite(frame.iloc[wanted][cols["Women"]]), finite(frame.iloc[wanted][cols["Men"]])
        if women is not None and men is not None:
            return women, men
    return None


def _row_key(idx: Any) -> tuple[Any, ...]:
    return idx if isinstance(idx, tuple) else (idx,)


def _summary(s: _Settings, findings: list[Finding], prev: list[Finding] | None, prev_label: str,
             topics: dict[str, list[ResultTable]]) -> Section:
    t = s.t
    sec = Section(id="sammanfattning" if s.lang == "sv" else "summary", title=t["summary"])
    if s.intervention is None:
        what = t["what_board"].format(org=s.organisation) if s.organisation else t["what_board_no_org"]
    else:
        what = t["what_steering"].format(name=s.name(s.intervention))
    period = t["period_year"].format(year=s.year) if s.year is not None else t["period_all"]
    sec.add(Paragraph(t["summary_lead"].format(what=what, period=period), style="lead"))

    women, men, enrolments = _participants(findings, s, topics)
    flagged = sorted((f for f in findings if f.flagged), key=_status_sort)
    explained = sorted((f for f in findings if f.status == "explained"), key=_status_sort)
    figures: list[KeyFigure] = []
    if women is not None and men is not None:
        share = ""
        if count_is_safe(women, s.threshold) and count_is_safe(men, s.threshold) and women + men > 0:
            share = t["kf_share"].format(share=fmt_percent(100 * women / (women + men), s.lang, 0))
        figures.append(KeyFigure(t["kf_women"], fmt_count(women, s.threshold, s.lang), share))
        share_m = ""
        if share:
            share_m = t["kf_share"].format(share=fmt_percent(100 * men / (women + men), s.lang, 0))
        figures.append(KeyFigure(t["kf_men"], fmt_count(men, s.threshold, s.lang), share_m))
    interventions = sorted({f.intervention for f in findings if f.intervention})
    if s.intervention is None and interventions:
        figures.append(KeyFigure(t["kf_interventions"], str(len(interventions))))
    figures.append(KeyFigure(t["kf_flagged"], str(len(flagged)), t["kf_comparisons"].format(n=len(findings))))
    figures.append(KeyFigure(t["kf_explained"], str(len(explained))))
    sec.add(KeyFigures(figures))
    if enrolments:
        sec.add(Paragraph(t["kf_enrolments_note"], style="note"))

    if s.intervention is None:
        part = [f for f in findings if f.dimension == "participation" and f.intervention]
        if part:
            table = _finding_table("summary_participation", t["per_intervention"], _sorted(part), s,
                                   "participation", with_intervention=True)
            if table is not None:
                # The summary keeps to what a board member needs: who took part, against the target group.
                keep = [0, 1, 2, 3, 4, 7]
                table.header = [table.header[i] for i in keep]
                table.rows = [[row[i] for i in keep] for row in table.rows]
                table.caption = t["per_intervention_caption"]
                sec.add(table)

    sub = sec.sub("flagged", t["flagged_head"])
    if not flagged:
        sub.add(Paragraph(t["flagged_none"]))
    else:
        lead = t["flagged_count_one"] if len(flagged) == 1 else t["flagged_count"].format(n=len(flagged))
        items = [_explanation(f, s) for f in flagged[:MAX_SUMMARY_BULLETS]]
        sub.add(Paragraph(lead), BulletList(items))
        if len(flagged) > MAX_SUMMARY_BULLETS:
            sub.add(Paragraph(t["flagged_more"].format(n=len(flagged) - MAX_SUMMARY_BULLETS), style="note"))

    sub = sec.sub("explained", t["explained_head"])
    if not explained:
        sub.add(Paragraph(t["explained_none"]))
    else:
        lead = t["explained_count_one"] if len(explained) == 1 else t["explained_count"].format(n=len(explained))
        sub.add(Paragraph(lead), BulletList([_explanation(f, s) for f in explained[:3]]))
        if len(explained) > 3:
            sub.add(Paragraph(t["explained_more"].format(n=len(explained) - 3), style="note"))

    sub = sec.sub("overview", t["overview_head"])
    sub.add(_overview_counts(findings, s))

    sub = sec.sub("change", t["change_head"])
    sub.add(*_change_paragraphs(s, findings, prev, prev_label, topics))

    sub = sec.sub("todo", t["todo_head_board" if s.intervention is None else "todo_head_steering"])
    if flagged:
        sub.add(BulletList(t["todo_board" if s.intervention is None else "todo_steering"].split("|")))
    else:
        sub.add(Paragraph(t["todo_nothing"]))
    return sec


def _short(f: Finding, s: _Settings) -> str:
    return _finding_title(f, s).replace(f"{DIMENSION[s.lang][f.dimension]}: ", "")


def _change_paragraphs(s: _Settings, findings: list[Finding], prev: list[Finding] | None, prev_label: str,
                       topics: dict[str, list[ResultTable]]) -> list[Paragraph]:
    t = s.t
    if prev is None:
        return [Paragraph(t["change_none"])]
    now_flagged = {f.id: f for f in findings if f.flagged}
    before_flagged = {f.id: f for f in prev if f.flagged}
    out: list[Paragraph] = []
    new = [now_flagged[i] for i in now_flagged if i not in before_flagged]
    gone = [before_flagged[i] for i in before_flagged if i not in now_flagged]
    kept = [now_flagged[i] for i in now_flagged if i in before_flagged]
    if new:
        out.append(Paragraph(t["change_new"].format(items=join_words((_short(f, s) for f in new), s.lang))))
    if kept:
        out.append(Paragraph(t["change_kept"].format(prev=prev_label,
                                                     items=join_words((_short(f, s) for f in kept), s.lang))))
    if gone:
        out.append(Paragraph(t["change_gone"].format(items=join_words((_short(f, s) for f in gone), s.lang))))
    if not (new or kept or gone):
        out.append(Paragraph(t["change_same"].format(prev=prev_label)))
    return out


def _findings_section(s: _Settings, findings: list[Finding]) -> Section:
    t = s.t
    sec = Section(id="skillnader" if s.lang == "sv" else "differences", title=t["findings"])
    sec.add(Paragraph(t["findings_lead"]))
    shown = [f for f in findings if f.status != "none" and not _small(f, s)]
    pp = [f for f in shown if _effective(f).unit == "pp" and _effective(f).estimate is not None]
    if pp:
        rows = []
        for f in sorted(pp, key=_status_sort):
            e = _effective(f)
            rows.append({"label": _short(f, s), "estimate": e.estimate, "low": e.ci_low, "high": e.ci_high,
                         "status": STATUS_SHORT[s.lang][f.status],
                         "text": fmt_number(e.estimate, s.lang, 1, signed=True)})
        alt = t["findings_chart_alt"] + "; ".join(
            f"{r['label']}: {r['text']} ({r['status'].lower()})" for r in rows) + "."
        sec.add(charts.difference_chart("findings-overview", t["findings_chart"], alt, rows,
                                        x_title=t["diff_axis"].format(unit=_unit_words(pp[0].raw, s)),
                                        left_label=t["lower_women"], right_label=t["higher_women"]))
    flagged = sorted((f for f in findings if f.flagged), key=_status_sort)
    explained = sorted((f for f in findings if f.status == "explained"), key=_status_sort)
    sub = sec.sub("flagged", t["findings_flagged"])
    sub.add(*([_finding_block(f, s) for f in flagged] or [Paragraph(t["findings_none_flagged"])]))
    sub = sec.sub("explained", t["findings_explained"])
    sub.add(*([_finding_block(f, s) for f in explained] or [Paragraph(t["findings_none_explained"])]))
    return sec


def _participation_section(s: _Settings, findings: list[Finding], topics: dict[str, list[ResultTable]]) -> Section:
    t = s.t
    sec = Section(id="deltagande" if s.lang == "sv" else "participation", title=t["participation"])
    part = _sorted(f for f in findings if f.dimension == "participation")
    if not part and not topics.get("participation") and not topics.get("target"):
        return sec
    sec.add(Paragraph(t["participation_lead"]))
    rows = []
    for f in part:
        if _small(f, s) or f.women_value is None:
            continue
        low, high = _wilson(f.women_value, f.n_women + f.n_men)
        rows.append({"label": s.name(f.intervention), "share": f.women_value, "low": low, "high": high,
                     "reference": f.reference_value, "text": fmt_percent(f.women_value, s.lang, 0)})
    if rows:
        alt = t["participation_chart_alt"] + "; ".join(
            f"{r['label']}: {r['text']}" + (f" ({t['share_women_ref'].lower()} "
                                            f"{fmt_percent(r['reference'], s.lang, 0)})"
                                            if r["reference"] is not None else "") for r in rows) + "."
        sec.add(charts.participation_chart("participation", t["participation_chart"], alt, rows,
                                           bar_label=t["share_women_bar"], reference_label=t["share_women_ref"],
                                           x_title=t["share_axis"]))
    table = _finding_table("participation_findings", t["participation_table"], part, s, "participation",
                           with_intervention=True)
    if table is not None:
        sec.add(table)
    tables = [x for x in (_convert(rt, s) for rt in topics.get("participation", [])) if x is not None]
    if tables:
        sec.sub("participants", t["participants_sub"]).add(*tables)
    targets = [x for x in (_convert(rt, s) for rt in topics.get("target", [])) if x is not None]
    if targets:
        sec.sub("target", t["target_sub"]).add(*targets)
    return sec


def _rate_section(s: _Settings, findings: list[Finding], topics: dict[str, list[ResultTable]],
                  dimension: str) -> Section:
    t = s.t
    ids = {"component": ("delinsatser", "components"), "outcome": ("resultat", "outcomes")}[dimension]
    sec = Section(id=ids[0] if s.lang == "sv" else ids[1], title=t[dimension])
    part = [f for f in findings if f.dimension == dimension]
    tables = [x for x in (_convert(rt, s) for rt in topics.get(dimension, [])) if x is not None]
    if not part and not tables:
        return sec
    sec.add(Paragraph(t[f"{dimension}_lead"]))
    scope = s.intervention  # None: the association as a whole
    main = sorted((f for f in part if f.intervention == scope), key=lambda f: f.category)
    where = s.name(scope).lower() if scope is None else s.name(scope)
    what = DIMENSION[s.lang][dimension]
    if main:
        sec.add(*_rate_chart(f"{dimension}-rates", main, s, what, where))
        table = _finding_table(f"{dimension}_overall", t["rate_table_overall"].format(what=what, where=where),
                               main, s, dimension, with_intervention=False)
        if table is not None:
            sec.add(table)
    per = _sorted(f for f in part if f.intervention is not None and f.intervention != scope)
    if per:
        table = _finding_table(f"{dimension}_per_intervention", t["rate_table_per"].format(what=what), per, s,
                               dimension, with_intervention=True)
        if table is not None:
            sec.add(table)
    sec.add(*tables)
    return sec


def _rate_chart(key: str, findings: list[Finding], s: _Settings, what: str, where: str) -> list[Figure]:
    t = s.t
    rows: list[dict[str, Any]] = []
    described: list[str] = []
    for f in findings:
        if _small(f, s):
            continue
        label = category_label(f.category, s.lang)
        parts = []
        for sex, value, n in (("women", f.women_value, f.n_women), ("men", f.men_value, f.n_men)):
            if value is None:
                continue
            low, high = _wilson(value, n)
            text = fmt_percent(value, s.lang, 0)
            rows.append({"category": label, "sex": SEX[s.lang][sex], "value": value, "low": low, "high": high,
                         "text": text})
            parts.append(text)
        if len(parts) == 2:
            described.append(f"{label}: {t['vs_men'].format(women=parts[0], men=parts[1])}")
    if not rows:
        return []
    alt = t["rate_chart_alt"].format(what_lower=what.lower(), where_lower=where.lower()) + "; ".join(
        described) + "."
    return [charts.rate_chart(key, t["rate_chart"].format(what=what, where=where.lower()), alt, rows,
                              sex_labels=SEX[s.lang], x_title=t["rate_axis"])]


def _resource_section(s: _Settings, findings: list[Finding], topics: dict[str, list[ResultTable]],
                      decompositions: dict[str, dict[str, Any]]) -> Section:
    t = s.t
    sec = Section(id="resurser" if s.lang == "sv" else "resources", title=t["resource"])
    part = [f for f in findings if f.dimension == "resource"]
    tables = [x for x in (_convert(rt, s) for rt in topics.get("resource", [])) if x is not None]
    decs = _decompositions(decompositions, s)
    if not part and not tables and not decs:
        return sec
    sec.add(Paragraph(t["resource_lead"]))
    for category in dict.fromkeys(f.category for f in sorted(part, key=lambda f: f.category)):
        group = _sorted(f for f in part if f.category == category and not _small(f, s))
        effects = [(f, _effective(f)) for f in group]
        effects = [(f, e) for f, e in effects if e.estimate is not None]
        units = {e.unit for _, e in effects}
        if not effects or len(units) != 1:
            continue
        what = category_label(category, s.lang)
        rows = [{"label": s.name(f.intervention), "estimate": e.estimate * (100 if e.unit == "relative" else 1),
                 "low": None if e.ci_low is None else e.ci_low * (100 if e.unit == "relative" else 1),
                 "high": None if e.ci_high is None else e.ci_high * (100 if e.unit == "relative" else 1),
                 "status": STATUS_SHORT[s.lang][f.status],
                 "text": fmt_effect_value(e.estimate, e.unit, s.lang).replace(NBSP, " ")} for f, e in effects]
        unit = units.pop()
        alt = t["resource_chart_alt"].format(what_lower=what.lower()) + "; ".join(
            f"{r['label']}: {r['text']} ({r['status'].lower()})" for r in rows) + "."
        sec.add(charts.difference_chart(f"resource-{category}", t["resource_chart"].format(what=what), alt, rows,
                                        x_title=t["diff_axis"].format(unit=_unit_words(effects[0][1], s)
                                                                      if unit != "relative" else "%"),
                                        left_label=t["lower_women"], right_label=t["higher_women"]))
    table = _finding_table("resource_findings", t["resource_table"], _sorted(part), s, "resource",
                           with_intervention=True)
    if table is not None:
        sec.add(table)
    sec.add(*tables)
    if decs:
        sub = sec.sub("decomposition", t["decomposition_sub"])
        sub.add(Paragraph(t["decomposition_lead"]))
        for i, dec in enumerate(decs):
            if i < MAX_DECOMPOSITION_CHARTS:
                sub.add(_decomposition_figure(dec, s))
        sub.add(_decomposition_table(decs, s))
    return sec


@dataclass
class _Decomposition:
    key: str
    category: str
    intervention: str | None
    women_mean: float | None
    men_mean: float | None
    gap: float
    explained: float
    unexplained: float
    by_variable: dict[str, float]
    n_women: float | None
    n_men: float | None


def _decompositions(raw: dict[str, dict[str, Any]], s: _Settings) -> list[_Decomposition]:
    """Women − men decompositions (the twofold one against the pooled model), whichever group the
    analysis called A; decompositions over fewer women or men than the threshold are left out."""
    out = []
    for key, d in raw.items():
        if not isinstance(d, dict) or "twofold" not in d:
            continue
        parts = key.split(":")
        category = str(d.get("category") or d.get("resource") or d.get("outcome") or parts[-1])
        if category not in RESOURCE_UNITS and parts[-1] in RESOURCE_UNITS:
            category = parts[-1]
        intervention = d.get("intervention")
        if intervention is None and len(parts) >= 3 and parts[-2] not in ("all", ""):
            intervention = parts[-2]
        if s.intervention is not None and intervention != s.intervention:
            continue
        twofold = d["twofold"]
        ref = next((r for r in ("pooled", "neumark", "0.5", "0") if isinstance(twofold.get(r), dict)), None)
        if ref is None:
            continue
        women_first = str(d.get("group_a", "")).lower() in ("women", "kvinnor", "k", "f", "female", "1", "true")
        sign = 1.0 if women_first else -1.0
        gap, explained = finite(d.get("gap")), finite(twofold[ref]["explained"]["estimate"])
        unexplained = finite(twofold[ref]["unexplained"]["estimate"])
        if gap is None or explained is None or unexplained is None:
            continue
        by_var: dict[str, float] = {}
        for term, value in (twofold[ref]["explained"].get("by_variable") or {}).items():
            number = finite(value)
            if term == "(Intercept)" or number is None:
                continue
            base = term.split("[", 1)[0]
            by_var[base] = by_var.get(base, 0.0) + sign * number
        n_a, n_b = finite(d.get("n_a")), finite(d.get("n_b"))
        n_w, n_m = (n_a, n_b) if women_first else (n_b, n_a)
        if not (count_is_safe(n_w, s.threshold) and count_is_safe(n_m, s.threshold)):
            continue
        mean_a, mean_b = finite(d.get("mean_a")), finite(d.get("mean_b"))
        out.append(_Decomposition(
            key=key, category=category, intervention=intervention if isinstance(intervention, str) else None,
            women_mean=mean_a if women_first else mean_b, men_mean=mean_b if women_first else mean_a,
            gap=sign * gap, explained=sign * explained, unexplained=sign * unexplained, by_variable=by_var,
            n_women=n_w, n_men=n_m))
    out.sort(key=lambda d: (d.intervention is not None, d.intervention or "", d.category))
    return out


def _decomposition_figure(d: _Decomposition, s: _Settings) -> Figure:
    t = s.t
    unit = RESOURCE_UNITS.get(d.category, "")

    def text(v: float) -> str:
        return (fmt_effect_value(v, unit, s.lang) if unit else fmt_number(v, s.lang, 1, signed=True)).replace(
            NBSP, " ")

    rows = [{"label": t["dec_total"], "value": d.gap, "group": t["dec_group_total"], "text": text(d.gap)},
            {"label": t["dec_explained"], "value": d.explained, "group": t["dec_group_parts"],
             "text": text(d.explained)},
            {"label": t["dec_unexplained"], "value": d.unexplained, "group": t["dec_group_parts"],
             "text": text(d.unexplained)}]
    for var, value in sorted(d.by_variable.items(), key=lambda kv: -abs(kv[1]))[:6]:
        rows.append({"label": t["dec_by"].format(what=covariate_label(var, s.lang)), "value": value,
                     "group": t["dec_group_vars"], "text": text(value)})
    what = category_label(d.category, s.lang)
    where = s.name(d.intervention)
    alt = t["decomposition_chart_alt"].format(what_lower=what.lower(), where_lower=where.lower(),
                                              gap=text(d.gap), explained=text(d.explained),
                                              unexplained=text(d.unexplained))
    alt += "; ".join(f"{r['label']}: {r['text']}" for r in rows[3:]) + ("." if len(rows) > 3 else "")
    key = "decomposition-" + "-".join(x for x in (d.category, d.intervention or "all"))
    return charts.decomposition_chart(key, t["decomposition_chart"].format(what=what, where=where.lower()
                                                                           if d.intervention is None else where),
                                      alt.strip(), rows,
                                      x_title=t["dec_axis"].format(unit=unit_label(unit, s.lang) if unit else ""))


def _decomposition_table(decs: list[_Decomposition], s: _Settings) -> Table:
    t = s.t
    header = [t["dec_col_resource"], t["dec_col_where"], t["dec_col_women"], t["dec_col_men"], t["dec_col_gap"],
              t["dec_col_explained"], t["dec_col_unexplained"]]
    rows = []
    for d in decs:
        decimals = 0 if d.category == "cost_sek" else 1
        fmt = "#,##0" if decimals == 0 else "0.0"
        sfmt = "+#,##0;-#,##0;0" if decimals == 0 else "+0.0;-0.0;0.0"
        rows.append([Cell(category_label(d.category, s.lang), category_label(d.category, s.lang)),
                     Cell(s.name(d.intervention), s.name(d.intervention)),
                     _num(d.women_mean, s, decimals, fmt=fmt), _num(d.men_mean, s, decimals, fmt=fmt),
                     _num(d.gap, s, decimals, fmt=sfmt, signed=True),
                     _num(d.explained, s, decimals, fmt=sfmt, signed=True),
                     _num(d.unexplained, s, decimals, fmt=sfmt, signed=True)])
    return Table(key="decomposition", title=t["dec_table"], header=header, rows=rows, label_columns=2)


def _intersectional_section(s: _Settings, topics: dict[str, list[ResultTable]]) -> Section:
    t = s.t
    sec = Section(id="intersektionellt" if s.lang == "sv" else "intersectional", title=t["intersectional"])
    sec.add(Paragraph(t["intersectional_lead"]))
    tables = [x for x in (_convert(rt, s) for rt in topics.get("intersectional", [])) if x is not None]
    sec.add(*(tables or [Paragraph(t["intersectional_none"], style="note")]))
    return sec


def _trend_section(s: _Settings, findings: list[Finding], prev: list[Finding] | None, prev_label: str,
                   topics: dict[str, list[ResultTable]], previous: Analysis | None) -> Section:
    t = s.t
    sec = Section(id="utveckling" if s.lang == "sv" else "trend", title=t["trend"])
    sec.add(Paragraph(t["trend_lead"]))
    added = False
    for rt in topics.get("trend", []):
        table = _convert(rt, s)
        if table is None:
            continue
        figure = _trend_figure(rt, s)
        if figure is not None:
            sec.add(figure)
        sec.add(table)
        added = True
    if prev is not None and previous is not None:
        sec.add(_yoy_table(s, findings, prev, prev_label, previous))
        changed = _status_changes(s, findings, prev, prev_label)
        if changed is not None:
            sec.add(changed)
        added = True
    if not added:
        sec.add(Paragraph(t["trend_none"], style="note"))
    return sec


def _yoy_table(s: _Settings, findings: list[Finding], prev: list[Finding], prev_label: str,
               previous: Analysis) -> Table:
    t = s.t
    prev_s = _settings_like(previous, s)
    w_now, m_now, _ = _participants(findings, s, {})
    w_before, m_before, _ = _participants(prev, prev_s, {})
    rows: list[list[Cell]] = []

    def count_row(label: str, now: float | None, before: float | None) -> None:
        safe = count_is_safe(now, s.threshold) and count_is_safe(before, s.threshold)
        change = (now - before) if safe and now is not None and before is not None else None
        rows.append([Cell(label, label), _count_cell(before, s), _count_cell(now, s),
                     _num(change, s, 0, fmt="+#,##0;-#,##0;0", signed=True)])

    count_row(t["yoy_participants_w"], w_now, w_before)
    count_row(t["yoy_participants_m"], m_now, m_before)

    def share(w: float | None, m: float | None) -> float | None:
        if w is None or m is None or w + m <= 0:
            return None
        if not (count_is_safe(w, s.threshold) and count_is_safe(m, s.threshold)):
            return None
        return 100 * w / (w + m)

    sh_now, sh_before = share(w_now, m_now), share(w_before, m_before)
    rows.append([Cell(t["yoy_share"], t["yoy_share"]), _num(sh_before, s, 1), _num(sh_now, s, 1),
                 _num(None if sh_now is None or sh_before is None else sh_now - sh_before, s, 1,
                      fmt="+0.0;-0.0;0.0", signed=True)])
    for label, status in ((t["yoy_flagged"], "unjustified"), (t["yoy_explained"], "explained")):
        now = sum(f.status == status for f in findings)
        before = sum(f.status == status for f in prev)
        rows.append([Cell(label, label), _num(before, s, 0, fmt="0"), _num(now, s, 0, fmt="0"),
                     _num(now - before, s, 0, fmt="+0;-0;0", signed=True)])
    header = [t["yoy_measure"], t["yoy_before"].format(prev=prev_label), t["yoy_now"], t["yoy_change"]]
    return Table(key="year_on_year", title=t["yoy_table"].format(prev=prev_label), header=header, rows=rows)


def _settings_like(analysis: Analysis, s: _Settings) -> _Settings:
    names = _intervention_names((analysis.meta or {}).get("interventions")) or s.names
    return _Settings(lang=s.lang, threshold=s.threshold, year=None, organisation=s.organisation, names=names,
                     intervention=s.intervention, restricted=s.restricted, config=analysis.config or {},
                     meta=analysis.meta or {}, t=s.t)


def _status_changes(s: _Settings, findings: list[Finding], prev: list[Finding], prev_label: str) -> Table | None:
    t = s.t
    now = {f.id: f for f in findings}
    before = {f.id: f for f in prev}
    rows = []
    for ident in sorted(set(now) | set(before)):
        a, b = before.get(ident), now.get(ident)
        status_a = a.status if a else None
        status_b = b.status if b else None
        if status_a == status_b or {status_a, status_b} <= {None, "none"}:
            continue
        f = b or a
        assert f is not None
        label = _short(f, s)
        rows.append([Cell(DIMENSION[s.lang][f.dimension], DIMENSION[s.lang][f.dimension]), Cell(label, label),
                     Cell(STATUS_SHORT[s.lang][status_a] if status_a else t["not_compared"]),
                     Cell(STATUS_SHORT[s.lang][status_b] if status_b else t["not_compared"],
                          emphasis=status_b == "unjustified")])
    for row in rows:
        for cell in row[2:]:
            cell.value = cell.text
    if not rows:
        return None
    header = [t["col_area"], t["col_comparison"], t["col_before"].format(prev=prev_label), t["col_now"]]
    return Table(key="status_changes", title=t["status_table"].format(prev=prev_label), header=header, rows=rows,
                 label_columns=2)


def _trend_figure(rt: ResultTable, s: _Settings) -> Figure | None:
    """A line per sex (or the share of women) by year, when the table has a year axis and sex columns."""
    frame = rt.frame
    years_in_index = _year_level(frame.index)
    if years_in_index is None:
        return None
    series_cols: list[tuple[Any, str]] = []
    for col in frame.columns:
        label = header_label(col[-1] if isinstance(col, tuple) else col, s.lang)
        if label in (SEX[s.lang]["women"], SEX[s.lang]["men"]) or "%" in label:
            series_cols.append((col, label))
    share_cols = [(c, lab) for c, lab in series_cols if "%" in lab]
    if share_cols and rt.kind != "counts":
        series_cols = share_cols[:2]
    else:
        series_cols = [(c, lab) for c, lab in series_cols if "%" not in lab]
    if not series_cols:
        return None
    frame = frame.copy()
    if isinstance(frame.index, pd.MultiIndex):
        other = [i for i in range(frame.index.nlevels) if i != years_in_index]
        keep = []
        for idx in frame.index:
            rest = [str(idx[i]) for i in other]
            if s.intervention is not None:
                ok = any(r in (s.intervention, s.names.get(s.intervention, "")) for r in rest)
            else:
                ok = all(r.lower() in ("totalt", "total", "all", "alla") for r in rest)
            keep.append(ok)
        frame = frame[keep]
        if frame.empty:
            return None
    mask = rt.suppressed.reindex_like(rt.frame).loc[frame.index] if rt.suppressed is not None else None
    rows = []
    for idx, row in frame.iterrows():
        year = _row_key(idx)[years_in_index]
        for col, label in series_cols:
            value = finite(row[col])
            if value is None or (mask is not None and bool(mask.loc[idx, col])):
                continue
            if rt.kind == "counts" and not count_is_safe(value, s.threshold):
                continue
            text = fmt_number(value, s.lang, 1 if rt.kind != "counts" else 0)
            rows.append({"year": int(year), "series": label, "value": value, "text": text})
    if len({r["year"] for r in rows}) < 2:
        return None
    title = rt.title_en if s.lang == "en" and rt.title_en else rt.title
    order = list(dict.fromkeys(label for _, label in series_cols))
    alt = s.t["trend_chart_alt"].format(what_lower=title[:1].lower() + title[1:]) + "; ".join(
        f"{label}: " + ", ".join(f"{r['year']} {r['text']}" for r in rows if r["series"] == label)
        for label in order) + "."
    percent = rt.kind != "counts" and all("%" in lab for lab in order)
    return charts.trend_chart(f"trend-{rt.key}", s.t["trend_chart"].format(what=title), alt, rows,
                              y_title=", ".join(order) if len(order) == 1 else "", series_order=order,
                              percent=percent)


def _year_level(index: pd.Index) -> int | None:
    names = [str(n).lower() if n is not None else "" for n in index.names]
    for i, name in enumerate(names):
        if name in ("year", "år", "ar"):
            return i
    if index.nlevels == 1:
        values = [finite(v) for v in index]
        if values and all(v is not None and 1990 <= v <= 2100 and v == int(v) for v in values):
            return 0
    return None


def _other_section(s: _Settings, topics: dict[str, list[ResultTable]]) -> Section:
    sec = Section(id="fler-tabeller" if s.lang == "sv" else "more-tables", title=s.t["other_tables"])
    sec.add(*[x for x in (_convert(rt, s) for rt in topics.get("other", [])) if x is not None])
    return sec


def _method_section(s: _Settings, analysis: Analysis, findings: list[Finding]) -> Section:
    t = s.t
    sec = Section(id="metod" if s.lang == "sv" else "method", title=t["method"])
    sec.add(Paragraph(t["method_lead"], style="lead"))
    period = t["m_period_year"].format(year=s.year) if s.year is not None else t["m_period_all"]
    sec.sub("data", t["m_data"]).add(Paragraph(t["m_data_text"].format(period_text=period)))

    sub = sec.sub("tests", t["m_tests"]).add(Paragraph(t["m_tests_text"]))
    used = _methods_used(analysis, s)
    if used:
        sub.add(Paragraph(t["m_methods_used"].format(items=join_words(used, s.lang))))

    covariates = _lookup(s.config, "covariates", "adjust_for", "adjusted_for")
    names = list(covariates) if isinstance(covariates, list | tuple) else list(
        dict.fromkeys(c for f in analysis.findings for c in f.adjusted_for))
    cov_text = t["m_adjust_covariates"].format(
        items=join_words(dict.fromkeys(covariate_label(str(c), s.lang) for c in names), s.lang)) if names else ""
    sec.sub("adjust", t["m_adjust"]).add(Paragraph(t["m_adjust_text"].format(covariates=cov_text).strip()))

    q = finite(_lookup(s.config, "fdr", "q", "q_threshold", "alpha")) or 0.05
    sec.sub("multiple", t["m_multiple"]).add(Paragraph(t["m_multiple_text"].format(
        q=fmt_number(q, s.lang, 2), q_pct=fmt_percent(100 * q, s.lang, 0))))

    sec.sub("rules", t["m_rules"]).add(BulletList([t["m_rule_unjustified"], t["m_rule_explained"],
                                                    t["m_rule_none"], t["m_rule_participation"]]))
    if analysis.decompositions:
        sec.sub("oaxaca", t["m_oaxaca"]).add(Paragraph(t["m_oaxaca_text"]))

    sub = sec.sub("disclosure", t["m_disclosure"])
    sub.add(Paragraph(t["m_disclosure_text"].format(t=s.threshold, t1=s.threshold - 1)))
    method = _lookup(s.config, "method", "disclosure_method")
    if method == "cell_key" or any("cell key" in (rt.note or "") for rt in analysis.tables.values()):
        sub.add(Paragraph(t["m_disclosure_cellkey"]))
    sec.sub("symbols", t["m_symbols"]).add(BulletList([t["m_symbol_suppressed"], t["m_symbol_missing"],
                                                      t["m_symbol_ci"], t["m_symbol_pp"]]))
    return sec


def _methods_used(analysis: Analysis, s: _Settings) -> list[str]:
    seen: list[str] = []
    for f in analysis.findings:
        for effect in (f.raw, f.adjusted, f.risk_ratio):
            if effect is None or not effect.method:
                continue
            low = effect.method.lower()
            for key, text in METHODS[s.lang].items():
                if key in low and text not in seen:
                    seen.append(text)
    if analysis.decompositions and METHODS[s.lang]["oaxaca"] not in seen:
        seen.append(METHODS[s.lang]["oaxaca"])
    return seen


def _about(s: _Settings, title: str, findings: list[Finding], generated: str,
           previous: str | None) -> list[tuple[str, str]]:
    from jamkoll import __version__ as version

    t = s.t
    about = [(t["about_report"], title)]
    if s.organisation:
        about.append((t["about_org"], s.organisation))
    about.append((t["about_year"], str(s.year) if s.year is not None else t["about_year_all"]))
    if s.intervention is not None:
        about.append((t["about_intervention"], s.name(s.intervention, with_id=True)))
    about.append((t["about_created"], generated))
    about.append((t["about_tool"], f"Jämkoll {version}"))
    about.append((t["about_threshold"], t["about_threshold_text"].format(t=s.threshold)))
    about.append((t["about_comparisons"], t["about_comparisons_text"].format(
        n=len(findings), f=sum(f.flagged for f in findings), e=sum(f.status == "explained" for f in findings))))
    if previous is not None:
        about.append((t["about_previous"], previous))
    about.append((t["about_symbols"], t["about_symbols_text"]))
    return about


def _number(sections: list[Section]) -> None:
    """Number tables and figures in reading order; the writers print 'Tabell 3. …'."""
    tables = figures = 0

    def walk(sec: Section) -> None:
        nonlocal tables, figures
        for block in sec.blocks:
            if isinstance(block, Table):
                tables += 1
                block.number = tables
            elif isinstance(block, Figure):
                figures += 1
                block.number = figures
        for child in sec.subsections:
            walk(child)

    for sec in sections:
        walk(sec)


# --------------------------------------------------------------------------------------------------
# The analysis' own tables


def _topic(key: str, rt: ResultTable) -> str:
    low = key.lower()
    for topic, words in _TOPIC_WORDS:
        if any(w in low for w in words):
            return topic
    if rt.kind == "reference":
        return "target"
    if _year_level(rt.frame.index) is not None:
        return "trend"
    title = rt.title.lower()
    for topic, words in (("participation", ("deltag",)), ("target", ("målgrupp",)), ("component", ("delinsats",)),
                         ("outcome", ("resultat", "avslut")), ("resource", ("resurs", "timmar", "kostnad"))):
        if any(w in title for w in words):
            return topic
    return "other"


def _sort_tables(analysis: Analysis, s: _Settings) -> dict[str, list[ResultTable]]:
    topics: dict[str, list[ResultTable]] = {}
    for key, rt in analysis.tables.items():
        topics.setdefault(_topic(key, rt), []).append(rt)
    return topics


def _convert(rt: ResultTable, s: _Settings) -> Table | None:
    """A published ResultTable as a report table: labels in words, numbers formatted, hidden cells '..'.

    In a steering-group report only the chosen intervention's rows (or column) are kept; a table
    without an intervention axis is left out there, since it describes the whole association.
    """
    frame = rt.frame
    if frame is None or frame.empty:
        return None
    mask = rt.suppressed
    if mask is None or mask.shape != frame.shape:
        mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    else:
        mask = pd.DataFrame(mask.to_numpy(dtype=bool), index=frame.index, columns=frame.columns)
    if s.intervention is not None and not s.restricted:
        restricted = _restrict(frame, mask, s)
        if restricted is None:
            return None
        frame, mask = restricted
        if frame.empty:
            return None

    has_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
    index_names = [n for n in frame.index.names] if has_index else []
    header = [header_label(n, s.lang) if n is not None else "" for n in index_names]
    for col in frame.columns:
        parts = col if isinstance(col, tuple) else (col,)
        header.append(" – ".join(header_label(p, s.lang) for p in parts if str(p) != ""))

    formats = {col: _column_format(frame[col], col, rt.kind) for col in frame.columns}
    rows: list[list[Cell]] = []
    for position, (idx, row) in enumerate(frame.iterrows()):
        labels = [_label(v, s) for v in _row_key(idx)] if has_index else []
        total = any(lab.lower() in ("totalt", "total", "alla", "all") for lab in labels)
        cells = [Cell(lab, lab, emphasis=total) for lab in labels]
        for j, col in enumerate(frame.columns):
            cells.append(_table_cell(row[col], bool(mask.iat[position, j]), formats[col], rt.kind, s, total))
        rows.append(cells)
    label_columns = len(index_names)
    if not has_index:
        label_columns = sum(1 for col in frame.columns if formats[col] == "text")
    title = rt.title_en if s.lang == "en" and rt.title_en else rt.title
    table = Table(key=rt.key, title=title, header=header, rows=rows, label_columns=max(label_columns, 0))
    note = (rt.note_en or rt.note) if s.lang == "en" else rt.note
    if table.has_suppressed:
        generic = s.t["generic_note"]
        note = f"{note} {generic}".strip() if ".." not in note else note
    table.note = note
    return table


def _label(value: Any, s: _Settings) -> str:
    text = str(value)
    if text in s.names:
        return s.name(text)
    return header_label(value, s.lang)


def _column_format(series: pd.Series, col: Any, kind: str) -> str:
    """'int', 'dec1' or 'text' for a column of a published table."""
    label = " ".join(str(p) for p in (col if isinstance(col, tuple) else (col,))).lower()
    numbers = pd.to_numeric(series, errors="coerce")
    if numbers.notna().sum() == 0 and series.notna().sum() > 0:
        return "text"
    if "%" in label or "share" in label or "andel" in label or "rate" in label:
        return "dec1"
    if kind in ("shares", "means"):
        return "dec1"
    values = numbers.dropna()
    if len(values) and bool(((values - values.round()).abs() < 1e-9).all()):
        return "int"
    return "dec1"


def _table_cell(value: Any, hidden: bool, fmt: str, kind: str, s: _Settings, total: bool) -> Cell:
    if hidden:
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    if fmt == "text":
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return Cell(MISSING, None)
        text = header_label(value, s.lang)
        return Cell(text, text, emphasis=total)
    number = finite(value)
    if number is None:
        return Cell(MISSING, None, align="right")
    if fmt == "int":
        # Defence in depth: a count between 1 and the threshold must never be printed, even if a
        # table reached the report without disclosure control.
        if kind == "counts" and not count_is_safe(number, s.threshold):
            return Cell(SUPPRESSED, None, suppressed=True, align="right")
        return Cell(fmt_number(number, s.lang, 0), int(round(number)), "#,##0", align="right", emphasis=total)
    return Cell(fmt_number(number, s.lang, 1), number, "0.0", align="right", emphasis=total)


def _restrict(frame: pd.DataFrame, mask: pd.DataFrame, s: _Settings) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    assert s.intervention is not None
    wanted = {s.intervention, s.names.get(s.intervention, s.intervention)}
    index = frame.index
    for level in range(index.nlevels):
        values = index.get_level_values(level).astype(str)
        if any(v in wanted for v in values):
            keep = [v in wanted for v in values]
            return frame[keep], mask[keep]
    for col in frame.columns:
        parts = col if isinstance(col, tuple) else (col,)
        if any(str(p) in wanted for p in parts):
            return frame[[col]], mask[[col]]
    return None

