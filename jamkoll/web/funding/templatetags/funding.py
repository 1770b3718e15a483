"""Number formatting for the funding pages, through the report's own helpers (Swedish or English style)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from jamkoll.analysis.goals import INDICATORS
from jamkoll.reports.goals import indicator_label as _indicator_words
from jamkoll.reports.text import NBSP, fmt_number
from jamkoll.web.lib.language import report_language

register = template.Library()


@register.filter
def sek(value: Any) -> str:
    """An amount in kronor: ``1 250 000 kr``; – when missing."""
    text = fmt_number(value, report_language(), 0)
    return text if text == "–" else f"{text}{NBSP}kr"


@register.filter
def any_withheld(rows: Any) -> bool:
    """Some budget line has amounts withheld by disclosure control."""
    return any(getattr(r, "withheld", False) for r in rows or [])


@register.filter
def share(value: Any) -> str:
    """A share 0..1 as per cent with one decimal."""
    number = None if value is None else float(value) * 100
    text = fmt_number(number, report_language(), 1)
    return text if text == "–" else f"{text}{NBSP}%"


@register.filter
def goal_value(value: Any, unit: str) -> str:
    """A goal's value in its unit: 0 decimals for counts and kronor, 1 otherwise."""
    return fmt_number(value, report_language(), 0 if unit in ("count", "sek") else 1)


@register.filter
def yes_no(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("Ja") if value else _("Nej")


@register.filter
def indicator_label(goal: Any) -> str:
    indicator = INDICATORS.get(goal.indicator)
    if indicator is None:
        return str(goal.indicator)
    return _indicator_words(goal.spec, report_language())
