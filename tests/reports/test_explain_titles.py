"""Plain headlines of findings (the register's and dashboards' titles): which way the difference goes, where,
in Swedish and English, never a code."""

from __future__ import annotations

import dataclasses

from jamkoll.analysis.results import Effect
from jamkoll.reports.explain import title, topic

from .conftest import NAMES, finding, pp


def test_a_component_title_says_who_gets_it_less_often_and_where() -> None:
    f = dataclasses.replace(finding("component", "INS05", "arbetsgivarkontakt", "unjustified", women=8.0, men=36.0,
                                    adjusted=pp(-20.0)), margin=5.0)
    assert title(f, "sv", NAMES) == "Kvinnor i Jobbspåret erbjuds arbetsgivarkontakt mer sällan än män"
    assert title(f, "en", NAMES) == "Women in Jobbspåret are offered employer contacts less often than men"
    more = dataclasses.replace(f, adjusted=pp(12.0))
    assert title(more, "sv", NAMES) == "Kvinnor i Jobbspåret erbjuds arbetsgivarkontakt oftare än män"


def test_the_adjusted_direction_decides_not_the_raw_one() -> None:
    # Simpson: raw favours women, adjusted men; the title follows the adjusted difference, as explain() does.
    f = finding("outcome", None, "arbete", "unjustified", women=40.0, men=30.0, raw=pp(10.0), adjusted=pp(-6.0))
    assert title(f, "sv") == "Kvinnor i förbundet som helhet går mer sällan till arbete än män"


def test_participation_and_resource_titles() -> None:
    under = finding("participation", "INS05", "share_of_women", "unjustified", women=26.0, reference=46.0,
                    raw=pp(-20.0))
    assert title(under, "sv", NAMES) == "Kvinnor är underrepresenterade i Jobbspåret"
    assert title(under, "en", NAMES) == "Women are under-represented in Jobbspåret"
    hours = finding("resource", "INS01", "hours", "unjustified", raw=Effect(-10.0, -13.0, -7.0, 0.001, "hours", "ols"),
                    adjusted=Effect(-9.6, -12.0, -7.2, 0.001, "hours", "ols-cluster"))
    assert title(hours, "sv", NAMES) == "Kvinnor i Steg till arbete får mindre personaltid än män med samma behov"


def test_a_finding_without_a_published_direction_is_named_by_what_was_compared() -> None:
    withheld = finding("component", "INS05", "arbetsgivarkontakt", "unjustified", raw=Effect(None, None, None, None,
                                                                                             "pp", ""))
    assert title(withheld, "sv", NAMES) == "Arbetsgivarkontakt i Jobbspåret"
    explained = finding("component", "INS05", "fortsatt_rehabilitering", "explained", adjusted=pp(-1.0))
    assert "fortsatt_rehabilitering" not in title(explained, "sv", NAMES)
    assert topic(under_share := finding("participation", None, "share_of_women", "none", reference=40.0), "sv") \
        == "Deltagande: andel kvinnor"
    assert "share_of_women" not in topic(under_share, "en")
