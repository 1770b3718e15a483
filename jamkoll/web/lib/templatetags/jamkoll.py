"""Template helpers shared by the pages."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from jamkoll.reports.text import fmt_number
from jamkoll.web.lib.language import report_language
from jamkoll.web.lib.tables import format_value, table_rows

register = template.Library()


# Rendered tables by (table object, language, id prefix): a kept analysis is the same object on every
# request (jamkoll.web.lib.results), and a published table never changes, so each is rendered once
# per language (a weak reference tells a reused id() from the same table).
_rendered: OrderedDict[tuple[int, str, str], tuple[weakref.ref[Any], str]] = OrderedDict()
_rendered_guard = threading.Lock()
RENDERED_ENTRIES = 512


@register.simple_tag
def result_table(table: Any, id_prefix: str = "t", names: Any = None) -> str:
    """An analysis table as an accessible HTML table: caption, scoped headers, the suppression note
    (``names``: the analysis' intervention id -> name, for the rows)."""
    key = (id(table), get_language() or "", id_prefix)
    with _rendered_guard:
        found = _rendered.get(key)
        if found is not None and found[0]() is table:
            _rendered.move_to_end(key)
            return found[1]
    context = table_rows(table, names if isinstance(names, dict) else None)
    context["table_id"] = f"{id_prefix}-{table.key}"
    html = render_to_string("lib/result_table.html", context)  # autoescaped: a SafeString
    try:
        ref = weakref.ref(table)
    except TypeError:  # not weakly referable: not kept
        return html
    with _rendered_guard:
        _rendered[key] = (ref, html)
        while len(_rendered) > RENDERED_ENTRIES:
            _rendered.popitem(last=False)
    return html


@register.filter
def number(value: Any, kind: str = "counts") -> str:
    return format_value(value, kind)


@register.filter
def decimal(value: Any, decimals: int = 1) -> str:
    """A number with ``decimals`` decimals as the active language writes it, negative numbers with the
    minus sign (sv: ``−24,0``, not ``-24,0``); no value is an en dash."""
    return fmt_number(value, report_language(), int(decimals))
