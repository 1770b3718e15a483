"""The language the reports layer should write in for the current request."""

from __future__ import annotations

from django.utils.translation import get_language


def report_language() -> str:
    """``"en"`` on English pages, else ``"sv"``: the two languages of :mod:`jamkoll.reports`."""
    return "en" if (get_language() or "sv").startswith("en") else "sv"
