"""The findings' sentences: one function per status, Swedish and English, never contradicting the numbers."""

from __future__ import annotations

import dataclasses

import pytest

from jamkoll.analysis.change import year_change
from jamkoll.analysis.results import Effect, Finding
from jamkoll.reports.explain import change_text, explain, note_text, omitted_text

from .conftest import NAMES, finding, pp


def _with(f: Finding, **changes: object) -> Finding:
    return dataclasses.replace(f, **changes)  # type: ignore[arg-type]


def test_unjustified_says_the_adjusted_direction_and_the_size_interval() -> None:
    # Simpson: the raw difference favours women, the adjusted one men.
    f = _with(finding("component", "INS03", "praktik", "unjustified", women=40.0, men=30.0,
                      adjusted=Effect(-9.0, -14.0, -4.0, 0.001, "pp", "logit-ame-cluster")), margin=5.0)
    sv, en = explain(f, "sv", NAMES), explain(f, "en", NAMES)
    assert sv.startswith("Män erbjöds praktik oftare än kvinnor i Jobbcoach Mora (kvinnor 40\u00a0%, män 30\u00a0%)")
    assert "9 procentenheter (95 % KI 4 till 14)" in sv
    assert en.startswith("Men were offered internship more often than women in Jobbcoach Mora")
    assert "Justerat för" in sv and "Justerat för" not in explain(f, "sv", NAMES, brief=True)


def test_resource_percentages_state_their_base() -> None:
    f = _with(finding("resource", "INS01", "hours", "unjustified", women=30.0, men=40.0,
                      raw=Effect(-10.0, -13.0, -7.0, 0.001, "hours", "ols"),
                      adjusted=Effect(-9.6, -12.0, -7.2, 0.001, "hours", "ols-cluster")),
              relative_adjusted=-0.24, margin=4.0)
    text = explain(f, "sv", NAMES)
    assert text.startswith("Kvinnor fick 24\u00a0% mindre personaltid i Steg till arbete än män med samma behov")
    assert "9,6 timmar mindre per inskrivning" in text and "männens medelvärde" in text
    assert "Women had 24% less staff time" in explain(f, "en", NAMES)


def test_explained_requires_and_shows_the_interval_within_the_margin() -> None:
    f = _with(finding("outcome", None, "fortsatt_rehabilitering", "explained", women=30.0, men=21.0,
                      adjusted=Effect(1.0, -2.0, 4.0, 0.5, "pp", "logit-ame-cluster")), margin=5.0)
    text = explain(f, "sv", NAMES)
    assert "förklaras av behov" in text and "(95 % KI −2 till 4), helt inom ±5 procentenheter" in text
    assert "wholly within ±5 percentage points" in explain(f, "en", NAMES)


def test_uncertain_says_what_would_settle_it() -> None:
    f = _with(finding("component", "INS05", "arbetsgivarkontakt", "uncertain", women=8.0, men=36.0,
                      raw=Effect(-28.0, -38.0, -13.0, 0.001, "pp", "fisher-exact")), needed="pool_years")
    text = explain(f, "sv", NAMES)
    assert "−28 procentenheter (95 % KI −38 till −13)" in text
    assert "gruppen är för liten" in text and text.endswith("när fler år slås samman.")
    assert "several years are pooled" in explain(f, "en", NAMES)


@pytest.mark.parametrize(("raw", "q", "expected"), [
    (Effect(-11.0, -22.0, -1.0, 0.03, "pp", "chi-square"), 0.23, "inte statistiskt säkerställd"),
    (Effect(2.0, 1.0, 3.0, 0.001, "pp", "chi-square"), 0.004, "är liten"),
    (Effect(-1.0, -6.0, 4.0, 0.7, "pp", "chi-square"), 0.8, "Ingen säkerställd skillnad"),
])
def test_none_never_says_no_difference(raw: Effect, q: float, expected: str) -> None:
    f = _with(finding("component", None, "praktik", "none", raw=raw), q_raw=q, margin=5.0)
    text = explain(f, "sv", NAMES)
    assert expected in text and "ingen skillnad" not in text.lower()
    assert "procentenhet" in text and "95 % KI" in text


def test_singular_and_plural_counts_and_units() -> None:
    one = _with(finding("component", None, "praktik", "none", raw=pp(-1.0, 5.0, 0.7)), q_raw=0.8, margin=5.0)
    assert ": −1 procentenhet (95 % KI" in explain(one, "sv", NAMES)
    assert ": −1 percentage point (95% CI" in explain(one, "en", NAMES)


def test_ongoing_enrolments_are_said() -> None:
    f = _with(finding("outcome", None, "arbete", "none", raw=pp(-1.0, 5.0, 0.7)), q_raw=0.8, margin=5.0,
              n_ongoing=580)
    assert "Omkring 580 inskrivningar pågår fortfarande" in explain(f, "sv", NAMES)
    few = _with(f, n_ongoing=None)
    assert "Några inskrivningar pågår" in explain(few, "sv", NAMES)


def test_codes_become_words() -> None:
    f = _with(finding("component", None, "praktik", "none"),
              omitted_covariates={"age_band": "too_few_events", "referred_by": "no_variation"})
    assert omitted_text(f, "sv") == "Inte justerat för: ålder (för få fall) och remitterande part (varierar inte)."
    assert note_text("rates_withheld_small_count", "en").startswith("The rates are not shown")


def test_a_change_is_new_only_when_tested() -> None:
    before = _with(finding("component", None, "praktik", "none", raw=pp(-3.0, 4.0, 0.2)), margin=5.0)
    now = _with(finding("component", None, "praktik", "unjustified", raw=pp(-6.0, 4.0, 0.01),
                        adjusted=pp(-6.0, 4.0, 0.01)), margin=5.0)
    untested = year_change(now, before)
    assert untested.code == "changed_not_established" and untested.p_value is not None
    assert change_text(untested, "2024", "sv").startswith("Statusen har ändrat")
    clear = year_change(_with(now, raw=pp(-20.0, 4.0, 0.001), adjusted=pp(-20.0, 4.0, 0.001)),
                        _with(before, raw=pp(1.0, 4.0, 0.6)))
    assert clear.code == "new" and clear.p_value is not None and clear.p_value < 0.001
    assert change_text(clear, "2024", "en").startswith("New since 2024")
    other = year_change(_with(now, status="uncertain", raw=pp(-20.0, 4.0, 0.001)), before)
    assert other.code == "changed" and "är statistiskt säkerställd" in change_text(other, "2024", "sv")


def test_a_withheld_q_value_is_left_out_of_the_sentence() -> None:
    # A finding kept with its rates but without its q-value (a stored one published again, or a q-value
    # that was withheld): the sentence leaves it out rather than print "q = –".
    from dataclasses import replace as _replace

    from jamkoll.analysis.results import Effect, Finding
    raw = Effect(-14.1, -24.0, -4.0, 0.01, "pp", "newcombe")
    finding = Finding(id="component:INS04:x", dimension="component", intervention="INS04", category="x",
                      status="none", year=2025, n_women=60, n_men=71, n_other=0, women_value=0.0,
                      men_value=14.1, reference_value=None, raw=raw, adjusted=None, risk_ratio=None,
                      q_raw=None, q_adjusted=None, adjusted_for=(), margin=2.0,
                      notes=("withheld_small_cells",))
    for lang, words in (("sv", "inte statistiskt säkerställd"), ("en", "not statistically established")):
        text = explain(finding, lang)
        assert words in text and "q =" not in text and "–)" not in text, text
    shown = explain(_replace(finding, q_raw=0.12, notes=()), "sv")
    assert "(q = 0,12)" in shown, shown
