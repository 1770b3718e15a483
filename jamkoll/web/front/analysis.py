"""Run the analysis of an organisation's store for the pages and the API, and keep the result.

An analysis of a year takes seconds to a minute; the result only changes when the store does. So
each result (the analysis, its charts, the years with data) is kept by :func:`jamkoll.web.lib.results.kept`
under a key made of the store's current version (:meth:`jamkoll.ingest.Store.fingerprint`) and the
analysis settings: a new import or a rollback changes the key, and old results are simply never read
again (:func:`prune_cache` removes them). Versions are immutable files, so an analysis reads its version
without any lock: an import writes the next version meanwhile and switches when it is done.
"""

from __future__ import annotations

import logging
import textwrap
import threading
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from jamkoll.web.lib import results
from jamkoll.web.lib.stores import store_for

if TYPE_CHECKING:
    from jamkoll.analysis import Analysis, ResultTable

log = logging.getLogger("jamkoll.web")

_memory_guard = threading.Lock()
_analysis_keys: dict[int, tuple[weakref.ref[Any], Any, str, Any]] = {}
_charts_memory: OrderedDict[tuple[int, str, str | None], tuple[weakref.ref[Any], list[dict[str, Any]]]] = OrderedDict()
MEMORY_ENTRIES = 16

# Table keys of the analysis, grouped for the dashboards (tables of unknown keys go last).
TABLE_GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("participation", _("Deltagande"), ("participants_by_year", "participants_by_intervention",
                                        "enrolments_by_sex", "representation")),
    ("components", _("Delinsatser"), ("components_by_sex",)),
    ("outcomes", _("Resultat efter avslut"), ("outcomes_by_sex",)),
    ("resources", _("Resurser"), ("resources_by_sex", "budgets")),
    ("background", _("Deltagarnas bakgrund"), ("sex_by_age_band", "sex_by_education",
                                                "sex_by_income_support_at_start", "sex_by_born_abroad",
                                                "sex_by_disability")),
]


class AnalysisFailed(Exception):
    """The analysis stopped with an error (logged with its traceback); the pages show a notice instead."""


def cache_dir(org: Any) -> Path:
    """Where the organisation's analyses are kept (:mod:`jamkoll.web.lib.results`, kind ``analysis``)."""
    return results.cache_dir(org) / "analysis"


def analysis_for(org: Any, year: int | None = None, intervention_id: str | None = None) -> Analysis | None:
    """The analysis of the organisation's store for a year (None: all years), optionally one intervention.

    None when the organisation has no data yet. Tables are already disclosure-controlled.
    """
    from jamkoll.analysis import AnalysisConfig, analyze

    store = store_for(org)
    if not store.exists():
        return None
    config = AnalysisConfig(year=year, interventions=(intervention_id,) if intervention_id else None)
    # No store lock: the version is pinned, and a version is an immutable file (an import writes
    # the next one meanwhile and switches when it is done).
    pinned = store.at_version()
    version = pinned.fingerprint()

    def compute() -> Analysis:
        try:
            return analyze(pinned, config)
        except Exception as exc:
            log.exception("Analysis of %s failed (%r)", org.slug, config)
            raise AnalysisFailed(str(exc)) from exc

    analysis = results.kept(org, "analysis", config, compute, version=version)
    with _memory_guard:  # which kept analysis this object is, for its charts
        _analysis_keys[id(analysis)] = (weakref.ref(analysis), org, version, config)
        while len(_analysis_keys) > 4 * results.DEFAULT_MEMORY_ENTRIES:
            _analysis_keys.pop(next(iter(_analysis_keys)))
    return analysis


def prune_cache(org: Any) -> None:
    """Forget every kept result of the organisation (after an import or a rollback)."""
    results.forget(org)
    with _memory_guard:
        _charts_memory.clear()


def available_years(org: Any) -> list[int]:
    """Years with data, newest first: the analysis's years (enrolment start) and headcount years.

    Kept per store version, so pages do not open the store to list them.
    """
    version = results.store_key(org)
    if version is None:
        return []

    def compute() -> list[int]:
        with store_for(org).at_version().connect(read_only=True) as con:
            rows = con.execute(
                "SELECT DISTINCT y FROM (SELECT year(start_date) AS y FROM enrolments UNION SELECT year FROM counts) "
                "WHERE y IS NOT NULL ORDER BY y DESC"
            ).fetchall()
        return [int(y) for (y,) in rows]

    return list(results.kept(org, "years", None, compute, version=version))


def dashboard_charts(analysis: Analysis, lang: str, intervention_id: str | None = None) -> list[dict[str, Any]]:
    """The report's charts for the screen: key, title, text alternative and an interactive Vega-Lite spec.

    They are the report's own figures (:func:`jamkoll.reports.build_context`), so the dashboard shows
    exactly what the printed report shows, with the same disclosure control; on screen every mark
    also gets a tooltip.
    """
    language = lang if lang in ("sv", "en") else "sv"
    # Building the report's content takes a good part of a second; an analysis never changes, so its
    # charts are kept beside it (a weak reference tells a reused id() from the same object).
    key = (id(analysis), language, intervention_id)
    with _memory_guard:
        kept = _charts_memory.get(key)
        if kept is not None and kept[0]() is analysis:
            return kept[1]
        known = _analysis_keys.get(id(analysis))
    origin = known[1:] if known is not None and known[0]() is analysis else None

    def compute() -> list[dict[str, Any]]:
        from jamkoll.reports import build_context

        ctx = build_context(analysis, lang=language, intervention=intervention_id)
        return [{"key": f.key, "title": f.title, "alt": f.alt, "spec": fit_to_width(with_tooltips(f.spec)),
                 "spec_id": f"chart-spec-{i}"} for i, f in enumerate(ctx.figures(), start=1)]

    if origin is not None:  # an analysis of a store version: its charts are kept with it
        org, version, config = origin
        setting = (config, language, intervention_id)
        charts = results.kept(org, "charts", setting, compute, version=version)
    else:
        charts = compute()
    with _memory_guard:
        _charts_memory[key] = (weakref.ref(analysis), charts)
        while len(_charts_memory) > MEMORY_ENTRIES:
            _charts_memory.popitem(last=False)
    return charts


def fit_to_width(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` that takes the width of its container, so a chart reflows on a phone
    instead of scrolling sideways (WCAG 1.4.10). Specs that place charts side by side keep their
    fixed widths: Vega-Lite cannot fit those to a container."""
    if not isinstance(spec.get("width"), (int, float)) or any(k in spec for k in ("hconcat", "concat", "facet")):
        return spec
    config = dict(spec.get("config") or {})
    # One legend entry per line: a row of entries would run off a phone's screen.
    config["legend"] = {**config.get("legend", {}), "orient": "bottom", "direction": "vertical"}
    config["axis"] = {**config.get("axis", {}), "labelLimit": 180}
    return {**_wrapped_titles(spec), "width": "container", "autosize": {"type": "fit-x", "contains": "padding"},
            "config": config}


def _wrapped_titles(node: Any, width: int = 30) -> Any:
    """Long axis titles as several lines (Vega-Lite takes a list), so a phone shows them whole
    instead of cutting them at the edge ("Skillnad kvinnor − män (pro…")."""
    if isinstance(node, list):
        return [_wrapped_titles(v, width) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _wrapped_titles(v, width) for k, v in node.items()}
    encoding = out.get("encoding")
    if isinstance(encoding, dict):
        for channel in ("x", "y"):
            field = encoding.get(channel)
            if isinstance(field, dict) and isinstance(field.get("title"), str) and len(field["title"]) > width:
                encoding[channel] = {**field, "title": textwrap.wrap(field["title"], width)}
    return out


def with_tooltips(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` whose marks show their data on hover and keyboard focus."""
    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: visit(v) for k, v in node.items()}
            mark = out.get("mark")
            if isinstance(mark, str):
                out["mark"] = {"type": mark, "tooltip": True}
            elif isinstance(mark, dict) and "tooltip" not in mark:
                out["mark"] = {**mark, "tooltip": True}
            return out
        if isinstance(node, list):
            return [visit(v) for v in node]
        return node

    result: dict[str, Any] = visit(spec)
    return result


def grouped_tables(analysis: Analysis) -> list[tuple[str, Any, list[ResultTable]]]:
    """The analysis tables in dashboard order: (group id, heading, tables)."""
    seen: set[str] = set()
    groups = []
    for group_id, heading, keys in TABLE_GROUPS:
        tables = [analysis.tables[k] for k in keys if k in analysis.tables]
        seen.update(keys)
        if tables:
            groups.append((group_id, heading, tables))
    rest = [t for k, t in analysis.tables.items() if k not in seen]
    if rest:
        groups.append(("other", _("Övriga tabeller"), rest))
    return groups
