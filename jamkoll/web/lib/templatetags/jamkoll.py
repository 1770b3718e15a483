"""Template helpers shared by the pages."""

from __future__ import annotations

from typing import Any

from django import template

from jamkoll.web.lib.tables import format_decimal, format_value, table_rows

register = template.Library()


@register.inclusion_tag("lib/result_table.html")
def result_table(table: Any, id_prefix: str = "t") -> dict[str, Any]:
    """An analysis table as an accessible HTML table: caption, scoped headers, the suppression note."""
    context = table_rows(table)
    context["table_id"] = f"{id_prefix}-{table.key}"
    return context


@register.filter
def number(value: Any, kind: str = "counts") -> str:
    return format_value(value, kind)


@register.filter
def decimal(value: Any, decimals: int = 1) -> str:
    """A number with ``decimals`` decimals as the active language writes it, negative numbers with the
    minus sign (sv: ``−24,0``, not ``-24,0``); no value is an en dash."""
    return format_decimal(value, int(decimals))
