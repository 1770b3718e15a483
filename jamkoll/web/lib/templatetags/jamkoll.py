"""Template helpers shared by the pages."""

from __future__ import annotations

from typing import Any

from django import template

from jamkoll.web.lib.tables import format_value, table_rows

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
