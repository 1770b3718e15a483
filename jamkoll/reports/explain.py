"""The sentences that say what a finding means, in Swedish and English: written here and only here.

The analysis (:mod:`jamkoll.analysis`) returns numbers and codes; the report, the web app's
findings register and dashboards, the API and the CLI all call :func:`explain` with the reader's
language, so the same finding reads the same everywhere and English pages show English findings.

One function per status. Numbers are printed the Swedish way (decimal comma, a real minus sign,
a space between thousands) with the precision the report prints: whole percentage points for
rates, one decimal for hours and days, whole kronor. A difference that is not established is
never called "no difference": its interval is given, and it may include differences that matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamkoll.analysis.change import YearChange
from jamkoll.analysis.results import Effect, Finding
from jamkoll.reports.text import category_label, check_lang, covariate_label, fmt_number, join_words

__all__ = ["change_text", "explain", "label", "note_text", "omitted_text", "people", "title", "topic"]

_UNIT = {
    "sv": {"pp": ("procentenhet", "procentenheter"), "hours": ("timme", "timmar"), "days": ("dag", "dagar"),
           "sek": ("krona", "kronor")},
    "en": {"pp": ("percentage point", "percentage points"), "hours": ("hour", "hours"), "days": ("day", "days"),
           "sek": ("krona", "kronor")},
}
_DECIMALS = {"pp": 0, "hours": 1, "days": 1, "sek": 0}
_RESOURCE_MORE = {
    "sv": {"hours": ("mer personaltid", "mindre personaltid"), "cost_sek": ("högre kostnad", "lägre kostnad"),
           "duration_days": ("längre tid i insatsen", "kortare tid i insatsen")},
    "en": {"hours": ("more staff time", "less staff time"), "cost_sek": ("higher costs", "lower costs"),
           "duration_days": ("a longer time in the intervention", "a shorter time in the intervention")},
}
_OMISSION = {
    "sv": {"no_variation": "varierar inte", "not_in_both_groups": "saknar jämförbara kvinnor och män",
           "too_few_events": "för få fall", "fit_failed": "modellen gick inte att skatta med den",
           "collinear": "sammanfaller med andra bakgrundsfaktorer"},
    "en": {"no_variation": "does not vary", "not_in_both_groups": "no comparable women and men",
           "too_few_events": "too few cases", "fit_failed": "the model could not be fitted with it",
           "collinear": "coincides with other factors"},
}
_NEEDED = {
    "sv": {"pool_years": "fler år slås samman", "more_data": "fler deltagare följs upp"},
    "en": {"pool_years": "several years are pooled", "more_data": "more participants are followed up"},
}
_NOTES = {
    "sv": {"no_adjusted_estimate": "Ingen justerad skattning kunde göras.",
           "rates_withheld_small_count": "Andelarna redovisas inte eftersom ett antal är under gränsen för "
                                         "röjandekontroll.",
           "reference_weighted_by_participants": "Målgruppens andel kvinnor är vägd efter antalet deltagare i "
                                                 "varje insats."},
    "en": {"no_adjusted_estimate": "No adjusted estimate could be made.",
           "rates_withheld_small_count": "The rates are not shown because a count is under the disclosure "
                                         "threshold.",
           "reference_weighted_by_participants": "The target group's share of women is weighted by the number "
                                                 "of participants in each intervention."},
}
_CHANGE = {
    "sv": {"new": "Ny sedan {prev}: förändringen är statistiskt säkerställd (p {p}).",
           "resolved": "Åtgärdad sedan {prev}: förändringen är statistiskt säkerställd (p {p}).",
           "changed": "Statusen har ändrats sedan {prev}, och förändringen är statistiskt säkerställd (p {p}).",
           "changed_not_established": "Statusen har ändrats sedan {prev}, men förändringen är inte statistiskt "
                                      "säkerställd (p {p}).",
           "unchanged": "Oförändrad sedan {prev}.",
           "not_compared": "Jämfördes inte både {prev} och i år, så förändringen kan inte prövas."},
    "en": {"new": "New since {prev}: the change is statistically established (p {p}).",
           "resolved": "Resolved since {prev}: the change is statistically established (p {p}).",
           "changed": "The status has changed since {prev}, and the change is statistically established (p {p}).",
           "changed_not_established": "The status has changed since {prev}, but the change is not statistically "
                                      "established (p {p}).",
           "unchanged": "Unchanged since {prev}.",
           "not_compared": "Not compared both in {prev} and this year, so the change cannot be tested."},
}


_DIMENSION = {
    "sv": {"participation": "Deltagande", "component": "Delinsatser", "outcome": "Resultat", "resource": "Resurser"},
    "en": {"participation": "Participation", "component": "Components", "outcome": "Outcomes",
           "resource": "Resources"},
}
# Short headlines of an unjustified difference (see :func:`title`): {where} and {what} are filled in.
_TITLE: dict[str, dict[str, Any]] = {
    "sv": {"under": "Kvinnor är underrepresenterade {where}", "over": "Kvinnor är överrepresenterade {where}",
           "component": ("Kvinnor {where} erbjuds {what} oftare än män", "Kvinnor {where} erbjuds {what} mer sällan "
                                                                          "än män"),
           "outcome": ("Kvinnor {where} går oftare till {what} än män", "Kvinnor {where} går mer sällan till {what} "
                                                                         "än män"),
           "resource": "Kvinnor {where} får {what} än män med samma behov",
           "other": "{What} {where}"},
    "en": {"under": "Women are under-represented {where}", "over": "Women are over-represented {where}",
           "component": ("Women {where} are offered {what} more often than men",
                         "Women {where} are offered {what} less often than men"),
           "outcome": ("Women {where} exit to {what} more often than men", "Women {where} exit to {what} less often "
                                                                          "than men"),
           "resource": "Women {where} get {what} than men with the same needs",
           "other": "{What} {where}"},
}


def _n(value: float | None, lang: str, decimals: int = 0) -> str:
    return fmt_number(value, lang, decimals)


def _amount(value: float | None, unit: str, lang: str) -> str:
    """A size with its unit, singular or plural as the printed number reads ("1 procentenhet")."""
    decimals = _DECIMALS.get(unit, 1)
    text = _n(abs(value) if value is not None else None, lang, decimals)
    one, many = _UNIT[lang].get(unit, (unit, unit))
    return f"{text} {one if text in ('1', '1,0', '1.0') else many}"


def _interval(effect: Effect | None, lang: str, *, size: bool = False) -> str:
    """"95 % KI a till b"; with ``size``, the interval of the size of a difference whose direction
    the sentence has already said (so "14 procentenheter (95 % KI 10 till 17)", not "−17 till −10")."""
    if effect is None or effect.ci_low is None or effect.ci_high is None:
        return ""
    decimals = _DECIMALS.get(effect.unit, 1)
    a, b = effect.ci_low, effect.ci_high
    if size and (effect.estimate or 0) < 0:
        a, b = -b, -a
    low, high = _n(a, lang, decimals), _n(b, lang, decimals)
    return f"95 % KI {low} till {high}" if lang == "sv" else f"95% CI {low} to {high}"


def _where(f: Finding, lang: str, names: Mapping[str, str]) -> str:
    if f.intervention is None:
        return "i förbundet som helhet" if lang == "sv" else "across the association"
    name = names.get(f.intervention) or f.intervention
    return f"i {name}" if lang == "sv" else f"in {name}"


def label(f: Finding, lang: str) -> str:
    """What was compared, in lower case ("praktik", "personaltid (timmar)")."""
    text = category_label(f.category, lang)
    return text[:1].lower() + text[1:]


def topic(f: Finding, lang: str = "sv") -> str:
    """What was compared, with its area: "Delinsatser: arbetsgivarkontakt" (never a code such as
    ``share_of_women``)."""
    lang = check_lang(lang)
    return f"{_DIMENSION[lang].get(f.dimension, f.dimension)}: {label(f, lang)}"


def title(f: Finding, lang: str = "sv", names: Mapping[str, str] | None = None) -> str:
    """A short plain headline for a finding (the register's and dashboards' title):
    "Kvinnor i Jobbspåret erbjuds arbetsgivarkontakt mer sällan än män".

    Only an unjustified difference with a published direction gets a sentence that says which way it
    goes; any other finding is named by what was compared and where ("Arbetsgivarkontakt i Jobbspåret").
    """
    lang = check_lang(lang)
    words = _TITLE[lang]
    where = _where(f, lang, names or {})
    effect = f.raw if f.dimension == "participation" else (f.adjusted or f.raw)
    estimate = effect.estimate
    if f.status != "unjustified" or estimate is None or estimate == 0:
        what = category_label(f.category, lang)
        return words["other"].format(What=what, where=where)
    more = estimate > 0
    if f.dimension == "participation":
        return words["over" if more else "under"].format(where=where)
    if f.dimension == "resource" and f.category in _RESOURCE_MORE[lang]:
        return words["resource"].format(where=where, what=_RESOURCE_MORE[lang][f.category][0 if more else 1])
    phrases = words.get(f.dimension)
    if not isinstance(phrases, tuple):
        return words["other"].format(What=category_label(f.category, lang), where=where)
    return phrases[0 if more else 1].format(where=where, what=label(f, lang))


def people(n: int, lang: str, *, one: str = "person", many: str = "personer") -> str:
    """A count with the right number: "1 person", "2 personer" (English: "person"/"people")."""
    if lang == "en":
        one, many = ("person", "people") if one == "person" else (one, many)
    return f"{fmt_number(n, lang)} {one if n == 1 else many}"


def omitted_text(f: Finding, lang: str = "sv") -> str:
    """Which legitimate covariates were left out of the adjustment, and why."""
    lang = check_lang(lang)
    if not f.omitted_covariates:
        return ""
    parts = [f"{covariate_label(name, lang)} ({_OMISSION[lang].get(reason, reason)})"
             for name, reason in f.omitted_covariates.items()]
    head = "Inte justerat för" if lang == "sv" else "Not adjusted for"
    return f"{head}: {join_words(parts, lang)}."


def note_text(code: str, lang: str = "sv") -> str:
    """A finding's note code in words (unknown codes are returned as they are)."""
    return _NOTES[check_lang(lang)].get(code, code)


def change_text(change: YearChange, previous: str, lang: str = "sv") -> str:
    """What changed since the previous year, with its test."""
    lang = check_lang(lang)
    p = "–" if change.p_value is None else (
        f"< {_n(0.001, lang, 3)}" if change.p_value < 0.001 else f"= {_n(change.p_value, lang, 3)}")
    text = _CHANGE[lang][change.code].format(prev=previous, p=p)
    if change.difference is None or change.unit is None:
        return text
    size = Effect(estimate=change.difference, ci_low=change.ci_low, ci_high=change.ci_high, p_value=change.p_value,
                  unit=change.unit, method="change")
    sign = "+" if change.difference > 0 else ("−" if change.difference < 0 else "±")
    head = "Skillnaden har ändrats med" if lang == "sv" else "The difference changed by"
    return f"{text} {head} {sign}{_amount(change.difference, change.unit, lang)} ({_interval(size, lang)})."


def explain(f: Finding, lang: str = "sv", names: Mapping[str, str] | None = None, *, brief: bool = False) -> str:
    """One plain sentence (or two) saying what the comparison found, in ``lang`` ("sv" or "en").

    ``brief``: the first sentence only (for a summary): without the covariates adjusted for and the
    enrolments still ongoing, which the full text adds.
    """
    lang = check_lang(lang)
    names = names or {}
    if f.dimension == "participation":
        return _participation(f, lang, names)
    writer = {"unjustified": _unjustified, "explained": _explained, "uncertain": _uncertain}.get(f.status, _none)
    text = writer(f, lang, names)
    if brief:
        for marker in (" Justerat för ", " Adjusted for ", " Omkring ", " About ", " Några inskrivningar",
                       " A few enrolments"):
            text = text.split(marker, 1)[0]
    return text


def _participation(f: Finding, lang: str, names: Mapping[str, str]) -> str:
    where = _where(f, lang, names)
    share, ref = _n(f.women_value, lang), _n(f.reference_value, lang)
    diff, ci = _amount(f.raw.estimate, "pp", lang), _interval(f.raw, lang)
    under = (f.raw.estimate or 0) < 0
    if f.status == "unjustified":
        if lang == "sv":
            word = "underrepresenterade" if under else "överrepresenterade"
            return (f"Kvinnor är {word} {where}: {share}\u00a0% av deltagarna mot {ref}\u00a0% av målgruppen "
                    f"({'−' if under else '+'}{diff}, {ci}).")
        word = "under-represented" if under else "over-represented"
        return (f"Women are {word} {where}: {share}% of participants against {ref}% of the target group "
                f"({'−' if under else '+'}{diff}, {ci}).")
    if lang == "sv":
        what = f"andelen kvinnor {where} ({share}\u00a0%) och målgruppens ({ref}\u00a0%)"
        return _none_sentence(f, lang, what, "", "").replace("mellan  i ", "mellan ")
    what = f"the share of women {where} ({share}%) and the target group's ({ref}%)"
    return _none_sentence(f, lang, what, "", "").replace("between  in ", "between ")


def _rates(f: Finding, lang: str) -> str:
    if f.dimension == "resource" or f.women_value is None or f.men_value is None:
        return ""
    return (f" (kvinnor {_n(f.women_value, lang)}\u00a0%, män {_n(f.men_value, lang)}\u00a0%)" if lang == "sv"
            else f" (women {_n(f.women_value, lang)}%, men {_n(f.men_value, lang)}%)")


def _what(f: Finding, lang: str) -> str:
    """The verb phrase: "erbjöds praktik", "fick utfallet arbete"."""
    if f.dimension == "component":
        return f"erbjöds {label(f, lang)}" if lang == "sv" else f"were offered {label(f, lang)}"
    if lang == "sv":
        return f"gick till {label(f, lang)}" if f.dimension == "outcome" else label(f, lang)
    return f"exited to {label(f, lang)}"


def _covariates(f: Finding, lang: str) -> str:
    words = join_words(dict.fromkeys(covariate_label(c, lang) for c in f.adjusted_for), lang)
    if not words:
        return ""
    within = " (inom varje insats)" if f.interactions and lang == "sv" else (
        " (within each intervention)" if f.interactions else "")
    return f"{words}{within}"


def _ongoing(f: Finding, lang: str) -> str:
    if f.dimension not in ("outcome", "resource") or f.dimension == "resource" and f.category != "duration_days":
        return ""
    if f.n_ongoing == 0 or (f.n_ongoing is None and f.dimension == "resource"):
        return ""
    if f.n_ongoing is None:
        return (" Några inskrivningar pågår fortfarande och ingår inte." if lang == "sv"
                else " A few enrolments are still ongoing and are not included.")
    count = fmt_number(f.n_ongoing, lang)
    text = (f" Omkring {count} inskrivningar pågår fortfarande och ingår inte; bara avslutade räknas."
            if lang == "sv" else
            f" About {count} enrolments are still ongoing and are not included; only ended ones count.")
    if f.km_median_women is not None and f.km_median_men is not None:
        women, men = _n(f.km_median_women, lang), _n(f.km_median_men, lang)
        text += (f" Med de pågående medräknade (Kaplan–Meier) är mediantiden {women} dagar för kvinnor och "
                 f"{men} för män." if lang == "sv" else
                 f" Counting the ongoing ones (Kaplan–Meier), the median time is {women} days for women and "
                 f"{men} for men.")
    return text


def _unjustified(f: Finding, lang: str, names: Mapping[str, str]) -> str:
    where = _where(f, lang, names)
    adjusted = f.adjusted or f.raw
    women_more = (adjusted.estimate or 0) > 0
    covariates = _covariates(f, lang)
    if f.dimension == "resource":
        rel = _n(abs(f.relative_adjusted or 0) * 100, lang)
        more, less = _RESOURCE_MORE[lang][f.category]
        unit = {"hours": "hours", "cost_sek": "sek", "duration_days": "days"}[f.category]
        size = _amount(adjusted.estimate, unit, lang)
        ci = _interval(adjusted, lang, size=True)
        if lang == "sv":
            text = (f"Kvinnor fick {rel}\u00a0% {more if women_more else less} {where} än män med samma behov "
                    f"({size} {'mer' if women_more else 'mindre'} per inskrivning, {ci}; "
                    f"procenten räknas på männens medelvärde).")
        else:
            text = (f"Women had {rel}% {more if women_more else less} {where} than men with the same needs "
                    f"({size} {'more' if women_more else 'less'} per enrolment, {ci}; "
                    f"the percentage is of the men's mean).")
    else:
        size = _amount(adjusted.estimate, "pp", lang)
        if lang == "sv":
            more, less = ("Kvinnor", "män") if women_more else ("Män", "kvinnor")
            text = (f"{more} {_what(f, lang)} oftare än {less} {where}{_rates(f, lang)}; skillnaden kvarstår när "
                    f"behov och bakgrund hålls lika: {size} ({_interval(adjusted, lang, size=True)}).")
        else:
            more, less = ("Women", "men") if women_more else ("Men", "women")
            text = (f"{more} {_what(f, lang)} more often than {less} {where}{_rates(f, lang)}; the difference "
                    f"remains with needs and background held equal: {size} ({_interval(adjusted, lang, size=True)}).")
    if covariates:
        text += f" Justerat för {covariates}." if lang == "sv" else f" Adjusted for {covariates}."
    return text + _ongoing(f, lang)


def _raw_phrase(f: Finding, lang: str) -> str:
    return _raw_phrase_of(f.raw, lang)


def _margin(f: Finding, lang: str) -> str:
    unit = f.raw.unit
    return f"±{_amount(f.margin, unit, lang)}"


def _subject(f: Finding, lang: str) -> str:
    if f.dimension == "resource":
        # The amount that follows carries the unit: "personaltid", not "personaltid (timmar) … 4,1 timmar".
        what = label(f, lang).split(" (", 1)[0]
        return f"Skillnaden i {what}" if lang == "sv" else f"The difference in {what}"
    return (f"Skillnaden i hur ofta kvinnor och män {_what(f, lang)}" if lang == "sv"
            else f"The difference in how often women and men {_what(f, lang)}")


def _explained(f: Finding, lang: str, names: Mapping[str, str]) -> str:
    where = _where(f, lang, names)
    adjusted = f.adjusted or f.raw
    covariates = _covariates(f, lang)
    within = f" {'helt inom' if lang == 'sv' else 'wholly within'} {_margin(f, lang)}" if f.margin else ""
    if lang == "sv":
        text = (f"{_subject(f, lang)} {where}{_rates(f, lang)}, {_raw_phrase(f, lang)}, förklaras av behov och "
                f"bakgrund: när de hålls lika är skillnaden {_raw_phrase_of(adjusted, lang)} "
                f"({_interval(adjusted, lang)}),{within or ' liten'}.")
    else:
        text = (f"{_subject(f, lang)} {where}{_rates(f, lang)}, {_raw_phrase(f, lang)}, is explained by needs and "
                f"background: with them held equal the difference is {_raw_phrase_of(adjusted, lang)} "
                f"({_interval(adjusted, lang)}),{within or ' small'}.")
    if covariates:
        text += f" Justerat för {covariates}." if lang == "sv" else f" Adjusted for {covariates}."
    return text + _ongoing(f, lang)


def _raw_phrase_of(effect: Effect, lang: str) -> str:
    """A signed difference with its unit, singular or plural as printed ("−1 procentenhet")."""
    unit = effect.unit
    text = _n(effect.estimate, lang, _DECIMALS.get(unit, 1))
    one, many = _UNIT[lang].get(unit, (unit, unit))
    return f"{text} {one if text.lstrip('−+') in ('1', '1,0', '1.0') else many}"


def _uncertain(f: Finding, lang: str, names: Mapping[str, str]) -> str:
    where = _where(f, lang, names)
    need = _NEEDED[lang].get(f.needed or "more_data", "")
    if lang == "sv":
        text = (f"{_subject(f, lang)} {where}{_rates(f, lang)} är {_raw_phrase(f, lang)} "
                f"({_interval(f.raw, lang)}), men data räcker inte för att avgöra om behov förklarar den")
    else:
        text = (f"{_subject(f, lang)} {where}{_rates(f, lang)} is {_raw_phrase(f, lang)} "
                f"({_interval(f.raw, lang)}), but the data cannot tell whether needs explain it")
    if f.adjusted is not None and f.adjusted.estimate is not None:
        text += (f": med behov och bakgrund hållna lika är den {_raw_phrase_of(f.adjusted, lang)} "
                 f"({_interval(f.adjusted, lang)})" if lang == "sv" else
                 f": with needs and background held equal it is {_raw_phrase_of(f.adjusted, lang)} "
                 f"({_interval(f.adjusted, lang)})")
    else:
        text += (": gruppen är för liten för att justera för behov" if lang == "sv"
                 else ": the group is too small to adjust for needs")
    text += (f". Det kan avgöras när {need}." if lang == "sv" else f". It can be settled when {need}.")
    return text + _ongoing(f, lang)


def _kind_of_none(f: Finding) -> str:
    """``small`` (significant but under the margin), ``not_significant`` (its own interval excludes 0,
    but not significant after the control for many comparisons) or ``none``."""
    low, high, estimate = f.raw.ci_low, f.raw.ci_high, f.raw.estimate
    if (f.q_raw is not None and f.q_raw < 0.05 and f.margin is not None and estimate is not None
            and abs(estimate) < f.margin):
        return "small"
    if low is not None and high is not None and (low > 0 or high < 0):
        return "not_significant"
    return "none"


def _none(f: Finding, lang: str, names: Mapping[str, str]) -> str:
    """No material difference established, in words that never contradict the interval."""
    what = f"{label(f, lang)} {_where(f, lang, names)}{_rates(f, lang)}"
    return _none_sentence(f, lang, what, "kvinnor och män", "women and men") + _ongoing(f, lang)


def _none_sentence(f: Finding, lang: str, what: str, between_sv: str, between_en: str) -> str:
    raw, ci = _raw_phrase(f, lang), _interval(f.raw, lang)
    kind = _kind_of_none(f)
    if kind == "small":
        if lang == "sv":
            return (f"Skillnaden mellan {between_sv} i {what} är liten: {raw} ({ci}), mindre än gränsen "
                    f"{_margin(f, lang)} för en skillnad som spelar roll.")
        return (f"The difference between {between_en} in {what} is small: {raw} ({ci}), less than the margin "
                f"{_margin(f, lang)} for a difference that matters.")
    if kind == "not_significant":
        q = f" (q = {_n(f.q_raw, lang, 2)})" if f.q_raw is not None else ""  # withheld: said by no figure
        if lang == "sv":
            return (f"Skillnaden mellan {between_sv} i {what}, {raw} ({ci}), är inte statistiskt säkerställd "
                    f"när hänsyn tas till de många jämförelserna{q}.")
        return (f"The difference between {between_en} in {what}, {raw} ({ci}), is not statistically "
                f"established once the many comparisons are taken into account{q}.")
    if lang == "sv":
        return f"Ingen säkerställd skillnad mellan {between_sv} i {what}: {raw} ({ci})."
    return f"No established difference between {between_en} in {what}: {raw} ({ci})."
