"""The public portal (Jämställdhetskartan): no login to read, everything aggregated and disclosure-controlled.

``/portal/`` lists the regions; ``/portal/<region>/`` shows the map (Vega-Lite, drawn by the same
vendored vega-embed and ``charts.js`` as the dashboards), the sortable table and the indicator
switcher (a GET form, so the page works without JavaScript); ``/portal/<region>/kommun/<code>/``
is a municipality's profile. With ``?embed=1`` a page has minimal chrome and may be framed by
other sites (see ``jamkoll.web.lib.middleware``); the pages that change something are never framed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jamkoll.analysis.publication import rounded
from jamkoll.indicators import compute, register
from jamkoll.indicators.client import ATTRIBUTION
from jamkoll.indicators.maps import counties, default_geometry, trend_spec
from jamkoll.indicators.svgmap import MISSING_COLOUR, svg_map
from jamkoll.ingest.problems import ImportRejected
from jamkoll.reports.governance import NATIONAL_GOALS
from jamkoll.web.lib import audit
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.pagecache import cached_page

from . import access, downloads, forms, services
from .models import KPI, MemberIndicator, PublishedFigure, Region, RegionalStrategy, StrategyMember

FIGURE_YEARS_SHOWN = 3
# The shipped maps' sources (jamkoll.indicators.maps.MAP_SOURCE and COUNTY_MAP_SOURCE), translated.
MAP_SOURCE = gettext_lazy("Kommungränser: Valmyndigheten, förenklade (okfse/sweden-geojson)")
COUNTY_MAP_SOURCE = gettext_lazy("Länsgränser: förenklade (okfse/sweden-geojson)")
# The page's and the downloads' mark for a count the publication gate withheld.
WITHHELD_MARK = "×"
WITHHELD_NOTE = gettext_lazy("× = redovisas inte: färre än fem personer, eller så att ett sådant värde inte kan "
                             "räknas fram ur totalen. Totalt: kvinnor och män.")


def _embed(request: HttpRequest) -> bool:
    return request.GET.get("embed") == "1"


def _region(slug: str) -> Region:
    return get_object_or_404(Region.objects.select_related("organization"), slug=slug, published=True)


def _goal_title(key: str) -> str:
    sv, en = NATIONAL_GOALS.get(key, ("Övriga nyckeltal", "Other indicators"))
    return en if (get_language() or "sv").startswith("en") else sv


def _number(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else number_format(value, decimals)


def _context(request: HttpRequest, region: Region | None, **extra: Any) -> dict[str, Any]:
    """The pages' common context; ``attribution`` names the source of the indicator values shown
    (``Källa: Kolada``, ``Källa: SCB`` …), given by the view or Kolada by default."""
    embed = _embed(request)
    return {"region": region, "embed": embed, "embed_query": "?embed=1" if embed else "",
            "attribution": ATTRIBUTION, **extra}


@xframe_options_exempt
@require_GET
@cached_page
def index(request: HttpRequest) -> HttpResponse:
    regions = list(Region.objects.filter(published=True).select_related("organization"))
    return render(request, "portal/index.html", _context(request, None, regions=regions,
                                                         overview=_overview(regions, _context(request, None))))


def _overview(regions: list[Region], context: dict[str, Any]) -> dict[str, Any]:
    """Sweden's counties as inline SVG: those with a published portal are links to it."""
    drawn = svg_map({"type": "FeatureCollection", "features": counties()}, {})
    by_county = {r.county_code: r for r in regions}
    shapes = []
    for shape in drawn.shapes:
        region = by_county.get(shape.code)
        shapes.append({"shape": shape, "region": region,
                       "href": reverse("portal:region", args=[region.slug]) + context["embed_query"] if region else "",
                       "name": region.name if region else (register.region(shape.code) or shape).name})
    return {"svg": drawn, "shapes": shapes, "source": COUNTY_MAP_SOURCE}


def _map_title(row: compute.IndicatorRow) -> str:
    if row.gap is None:
        return _("%(name)s: uppgift saknas hos källan") % {"name": row.name}
    return _("%(name)s: kvinnor %(women)s, män %(men)s, skillnad %(gap)s, kvot %(ratio)s") % {
        "name": row.name, "women": _number(row.women), "men": _number(row.men), "gap": _number(row.gap),
        "ratio": _number(row.ratio, 2)}


def _map_alt(region: Region, kpi: KPI, comparison: compute.RegionalComparison) -> str:
    shown = [r for r in comparison.rows if r.gap is not None]
    if not shown:
        return _("Karta över %(region)s: inga värden för %(kpi)s %(year)s.") % {
            "region": region.name, "kpi": kpi.title, "year": comparison.period}
    largest = max(shown, key=lambda r: abs(r.gap or 0))
    smallest = min(shown, key=lambda r: abs(r.gap or 0))
    return _("Karta över kommunerna i %(region)s färgade efter skillnaden mellan kvinnor och män i %(kpi)s "
             "%(year)s. Störst skillnad i %(largest)s (%(largest_gap)s), minst i %(smallest)s (%(smallest_gap)s). "
             "Alla värden finns i tabellen.") % {
        "region": region.name, "kpi": kpi.title, "year": comparison.period, "largest": largest.name,
        "largest_gap": _number(largest.gap), "smallest": smallest.name, "smallest_gap": _number(smallest.gap)}


def _map(region: Region, comparison: compute.RegionalComparison, embed_query: str) -> dict[str, Any]:
    """The region's map as inline SVG: the region's uploaded boundaries, else the shipped ones."""
    uploaded = getattr(region, "geometry", None)
    geometry = uploaded.geojson if uploaded is not None else default_geometry(region.county_code)
    if geometry is None:
        return {}
    drawn = svg_map(geometry, {r.area_id: r.gap for r in comparison.rows})
    rows = {r.area_id: r for r in comparison.rows}
    shapes = [{"shape": s, "href": reverse("portal:municipality", args=[region.slug, s.code]) + embed_query,
               "title": _map_title(rows[s.code]) if s.code in rows else
               _("%(name)s: uppgift saknas hos källan") % {"name": s.name}} for s in drawn.shapes]
    source = (_("Kommungränser: %(file)s (uppladdad av regionen)") % {"file": uploaded.file_name}
              if uploaded is not None else MAP_SOURCE)
    legend = [{"colour": c.colour, "low": c.low, "high": c.high} for c in drawn.classes]
    return {"svg": drawn, "shapes": shapes, "source": source, "legend": legend, "missing_colour": MISSING_COLOUR}


def _printed(row: compute.IndicatorRow, kpi: KPI) -> dict[str, Any]:
    """One table row at the printed precision (1 decimal, ratio and distance 2): the page and its
    downloads show these same numbers."""
    favoured = compute.favoured(row.women, row.men, kpi.direction)
    return {
        "row": row, "name": row.name, "code": row.area_id, "suppressed": row.suppressed,
        "women": rounded(row.women, 1), "men": rounded(row.men, 1), "total": rounded(row.total, 1),
        "gap": rounded(row.gap, 1), "ratio": rounded(row.ratio, 2), "distance": rounded(row.distance, 2),
        "rank": row.rank if kpi.ranked else None,
        "favoured": {"women": _("Kvinnor"), "men": _("Män")}.get(favoured or "", "") if kpi.direction else "",
        "change": rounded(row.gap_change, 1), "previous_period": row.previous_period,
    }


_RAW = {"women": "women", "men": "men", "total": "total", "gap": "gap", "ratio": "ratio", "distance": "distance",
        "change": "gap_change"}


def _sorted_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Sorted by the column (by the unrounded value, so that printed ties keep their true order)."""
    def value(r: dict[str, Any]) -> Any:
        if r.get(key) is None or r.get(key) == "":
            return None
        return getattr(r["row"], _RAW[key]) if key in _RAW else r[key]

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing  # missing values last, either way


def _comparison(request: HttpRequest, region: Region) -> dict[str, Any] | None:
    """The indicator, year and values a region page (and its downloads) shows, from the GET query."""
    kpis = services.portal_kpis(region)
    if not kpis:
        return None
    values = services.region_values(region)
    by_id = {k.kpi_id: k for k in kpis}
    chosen = request.GET.get("kpi") if request.GET.get("kpi") in by_id else kpis[0].kpi_id
    years = compute.periods(values, chosen)
    form = forms.IndicatorForm(request.GET if "kpi" in request.GET else {"kpi": chosen},
                               [(k.kpi_id, k.title, _goal_title(k.goal)) for k in kpis], years)
    year = int(request.GET["year"]) if form.is_valid() and form.cleaned_data.get("year") else None
    kpi = by_id[chosen]
    comparison = services.region_comparison(region, values, chosen, year, ranked=kpi.ranked)
    return {"kpis": kpis, "kpi": kpi, "form": form, "year": year, "comparison": comparison,
            "rows": [_printed(r, kpi) for r in comparison.rows],
            "totals": [_printed(r, kpi) for r in (comparison.region, comparison.country) if r is not None]}


def _embed_code(request: HttpRequest, path: str, query: dict[str, str], title: str, height: int) -> str:
    """An iframe to copy into another site: the page with ``embed=1``, a title and a size."""
    url = request.build_absolute_uri(path) + "?" + urlencode({**query, "embed": "1"})
    return (f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="{height}" '
            f'loading="lazy" style="border:0;max-width:100%"></iframe>')


@xframe_options_exempt
@require_GET
@cached_page
def region_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(region_slug)
    shown = _comparison(request, region)
    context = _context(request, region, kpis=shown["kpis"] if shown else [],
                       strategies=region.strategies.filter(published=True), figures=_figures(region),
                       can_manage=access.can_manage_region(request.user, region))
    if shown is None:
        return render(request, "portal/region.html", context)
    kpi, comparison, year = shown["kpi"], shown["comparison"], shown["year"]
    sort = request.GET.get("sort") if request.GET.get("sort") in forms.SORT_KEYS else "name"
    descending = request.GET.get("order") == "desc"
    base_query = {"kpi": kpi.kpi_id, **({"year": str(year)} if year else {})}
    page_query = {**base_query, **({"embed": "1"} if _embed(request) else {})}
    context.update(form=shown["form"], kpi=kpi, comparison=comparison, totals=shown["totals"],
                   rows=_sorted_rows(shown["rows"], sort, descending), sort=sort, descending=descending,
                   columns=_columns(kpi, page_query, sort, descending),
                   map=_map(region, comparison, context["embed_query"]),
                   map_alt=_map_alt(region, kpi, comparison), query=page_query,
                   download_query=urlencode(base_query), attribution=kpi.attribution,
                   embed_code=_embed_code(request, reverse("portal:region", args=[region.slug]), base_query,
                                          _("Jämställdhetskartan: %(kpi)s, %(region)s") % {
                                              "kpi": kpi.title, "region": region.name}, 1100))
    return render(request, "portal/region.html", context)


def _labels(kpi: KPI) -> dict[str, str]:
    labels = {"name": _("Kommun"), "women": _("Kvinnor"), "men": _("Män"), "total": _("Totalt"),
              "gap": _("Skillnad (K − M)"), "ratio": _("Kvot K/M")}
    if kpi.ranked:
        labels.update(distance=_("Avstånd från lika"), rank=_("Rang"))
    if kpi.direction:
        labels["favoured"] = _("Till fördel för")
    labels["change"] = _("Förändring av skillnaden")
    return labels


def _columns(kpi: KPI, query: dict[str, str], sort: str, descending: bool) -> list[dict[str, Any]]:
    """The table's header cells: label, link that sorts by the column, and aria-sort."""
    columns = []
    for key, label in _labels(kpi).items():
        active = key == sort
        order = "asc" if active and descending else ("desc" if active else "asc")
        columns.append({"key": key, "label": label, "numeric": key not in ("name", "favoured"),
                        "href": "?" + urlencode({**query, "sort": key, "order": order}),
                        "aria_sort": ("descending" if descending else "ascending") if active else None})
    return columns


@require_GET
def region_data(request: HttpRequest, region_slug: str, fmt: str) -> HttpResponse:
    """The region page's table (the indicator and year of the query) as CSV or XLSX."""
    region = _region(region_slug)
    shown = _comparison(request, region)
    if shown is None:
        raise Http404
    kpi, comparison = shown["kpi"], shown["comparison"]
    labels = _labels(kpi)
    decimals = {"women": 1, "men": 1, "total": 1, "gap": 1, "ratio": 2, "distance": 2, "rank": 0, "change": 1}
    columns = [downloads.Column(labels["name"]), downloads.Column(_("Kommunkod")), downloads.Column(_("Nyckeltal")),
               downloads.Column(_("År"), 0)]
    keys = [k for k in labels if k != "name"]
    columns += [downloads.Column(labels[k], decimals.get(k)) for k in keys]
    columns += [downloads.Column(_("Jämfört med år"), 0), downloads.Column(_("Källa"))]
    table = downloads.Table(title=f"{kpi.title}, {comparison.period}", source=kpi.attribution, columns=columns,
                            notes=_table_notes(kpi))
    for row in [*shown["rows"], *shown["totals"]]:
        cells: list[Any] = [row["name"], row["code"], kpi.title, comparison.period]
        if row["suppressed"]:
            cells += [_("Uppgift saknas") if i == 0 else None for i, _k in enumerate(keys)]
        else:
            cells += [row[k] if k != "favoured" else row["favoured"] for k in keys]
        cells += [row["previous_period"] if row["change"] is not None else None, kpi.source or "Kolada"]
        table.rows.append(cells)
    return downloads.response(table, fmt, f"{region.slug}-{kpi.kpi_id}-{comparison.period}")


def _table_notes(kpi: KPI) -> list[str]:
    notes = [_("Skillnad: kvinnornas värde minus männens. Kvot: kvinnornas värde delat med männens; 1 betyder lika.")]
    if kpi.ranked:
        notes.append(_("Avstånd från lika: |ln(kvot)|, 0 betyder lika; en kvot på 0,8 och en på 1,25 ligger lika "
                       "långt från lika. Rang 1 är kommunen närmast lika."))
    if kpi.direction:
        notes.append(_("Till fördel för: det kön vars värde är bättre (%(direction)s).") % {
            "direction": kpi.get_direction_display().lower()})
    return notes


def _figures(region: Region) -> list[dict[str, Any]]:
    """The associations' published figures, per organisation, for the latest years."""
    figures = PublishedFigure.objects.filter(region=region).select_related("organization")
    grouped: dict[int, dict[str, Any]] = {}
    for figure in figures:
        entry = grouped.setdefault(figure.organization_id, {"organization": figure.organization, "years": {}})
        entry["years"].setdefault(figure.year, []).append(figure)
    result = []
    for entry in grouped.values():
        years = sorted(entry["years"], reverse=True)[:FIGURE_YEARS_SHOWN]
        result.append({"organization": entry["organization"],
                       "years": [(y, entry["years"][y]) for y in years]})
    return result


@require_GET
def figures_data(request: HttpRequest, region_slug: str, fmt: str) -> HttpResponse:
    """The associations' published figures on the region page, as CSV or XLSX: the counts the
    publication gate published, the gate's withheld counts as the page's mark."""
    region = _region(region_slug)
    columns = [downloads.Column(_("Organisation")), downloads.Column(_("År"), 0), downloads.Column(_("Mått")),
               downloads.Column(_("Kvinnor"), 0), downloads.Column(_("Män"), 0), downloads.Column(_("Totalt"), 0)]
    table = downloads.Table(title=_("Samordningsförbundens publicerade siffror"),
                            source=_("Källa: respektive samordningsförbund, röjandekontrollerat i Jämkoll"),
                            columns=columns, notes=[str(WITHHELD_NOTE)])
    for entry in _figures(region):
        for year, items in entry["years"]:
            for figure in items:
                counts = (figure.women, figure.men, figure.total)
                table.rows.append([entry["organization"].name, year, figure.label,
                                   *(WITHHELD_MARK if v is None else v for v in counts)])
    return downloads.response(table, fmt, f"{region.slug}-samordningsforbund")


def _profile(region: Region, code: str) -> tuple[Any, list[KPI], list[dict[str, Any]]]:
    """The municipality, the KPIs and the profile's groups of items, with each item's values at the
    printed precision (``printed``; the page and its downloads show these)."""
    found = register.municipality(code)
    if found is None or found.county_code != region.county_code:
        raise Http404(_("Kommunen finns inte i regionen."))
    kpis = services.portal_kpis(region)
    values = services.region_values(region)
    result = compute.profile(values, [k.kpi_id for k in kpis], code, unranked=[k.kpi_id for k in kpis if not k.ranked])
    by_id = {k.kpi_id: k for k in kpis}
    groups = []
    for group in compute.goal_groups({k.kpi_id: k.goal for k in kpis}):
        items = []
        for kpi_id in group.kpis:
            item = result.item(kpi_id)
            if item is None:
                continue
            kpi = by_id[kpi_id]
            items.append({"kpi": kpi, "item": item, "spec_id": f"trend-{kpi_id}",
                          "printed": _printed(item.current, kpi) if item.current else None,
                          "region_ratio": rounded(item.region.ratio if item.region else None, 2),
                          "country_ratio": rounded(item.country.ratio if item.country else None, 2),
                          "spec": _trend_spec(item), "alt": _trend_alt(found.name, kpi, item)})
        groups.append({"key": group.key, "title": group.title(get_language() or "sv"), "items": items})
    return found, kpis, groups


@xframe_options_exempt
@require_GET
@cached_page
def municipality_page(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = _region(region_slug)
    found, kpis, groups = _profile(region, code)
    return render(request, "portal/municipality.html", _context(
        request, region, municipality=found, groups=groups, charts=[1],
        municipalities=register.municipalities_in(region.county_code), attribution=services.attribution(kpis),
        can_manage=access.can_manage_region(request.user, region),
        embed_code=_embed_code(request, reverse("portal:municipality", args=[region.slug, code]), {},
                               _("Jämställdhetskartan: %(name)s") % {"name": found.name}, 1600)))


@require_GET
def municipality_data(request: HttpRequest, region_slug: str, code: str, fmt: str) -> HttpResponse:
    """A municipality profile's table (every KPI, latest year) as CSV or XLSX."""
    region = _region(region_slug)
    found, kpis, groups = _profile(region, code)
    columns = [downloads.Column(_("Nyckeltal")), downloads.Column(_("Nyckeltalets id")),
               downloads.Column(_("År"), 0), downloads.Column(_("Kvinnor"), 1), downloads.Column(_("Män"), 1),
               downloads.Column(_("Skillnad (K − M)"), 1), downloads.Column(_("Kvot K/M"), 2),
               downloads.Column(_("Kvot i regionen"), 2), downloads.Column(_("Kvot i riket"), 2),
               downloads.Column(_("Rang"), 0), downloads.Column(_("Källa"))]
    table = downloads.Table(title=_("Jämställdhet i %(name)s") % {"name": found.name},
                            source=services.attribution(kpis), columns=columns, notes=[
                                _("Skillnad: kvinnornas värde minus männens. Kvot: kvinnornas värde delat med "
                                  "männens; 1 betyder lika."), _("Rang: 1 är kommunen närmast lika (|ln(kvot)|).")])
    for group in groups:
        for entry in group["items"]:
            row = entry["printed"] or {}
            missing = row.get("suppressed") or not row
            table.rows.append([entry["kpi"].title, entry["kpi"].kpi_id, entry["item"].period,
                               _("Uppgift saknas") if missing else row["women"], None if missing else row["men"],
                               None if missing else row["gap"], None if missing else row["ratio"],
                               entry["region_ratio"], entry["country_ratio"], row.get("rank"),
                               entry["kpi"].source or "Kolada"])
    return downloads.response(table, fmt, f"{region.slug}-{found.code}-{found.name}")


def _trend_spec(item: compute.ProfileItem) -> dict[str, Any]:
    points = []
    for p in item.trend.points:
        points += [{"period": p.period, "series": _("Kommunen"), "value": p.ratio},
                   {"period": p.period, "series": _("Regionen"), "value": p.region_ratio},
                   {"period": p.period, "series": _("Riket"), "value": p.country_ratio}]
    return trend_spec(points, y_title=_("Kvot K/M"), series_title=_("Område"))


def _trend_alt(name: str, kpi: KPI, item: compute.ProfileItem) -> str:
    shown = [p for p in item.trend.points if p.ratio is not None]
    if len(shown) < 2:
        return _("%(kpi)s: för få år med värden för att visa en utveckling.") % {"kpi": kpi.title}
    first, last = shown[0], shown[-1]
    return _("Kvoten mellan kvinnors och mäns värden i %(kpi)s i %(name)s gick från %(first)s (%(first_year)s) till "
             "%(last)s (%(last_year)s); 1 betyder lika.") % {
        "kpi": kpi.title, "name": name, "first": _number(first.ratio, 2), "first_year": first.period,
        "last": _number(last.ratio, 2), "last_year": last.period}


# -- strategies -----------------------------------------------------------------------------------


def _strategy(region: Region, slug: str) -> RegionalStrategy:
    return get_object_or_404(RegionalStrategy, region=region, slug=slug, published=True)


@xframe_options_exempt
@require_GET
@cached_page
def strategy_page(request: HttpRequest, region_slug: str, strategy_slug: str) -> HttpResponse:
    region = _region(region_slug)
    strategy = _strategy(region, strategy_slug)
    members = strategy.members.filter(published=True).select_related("organization").prefetch_related("indicators")
    mine = access.organizations_to_act_for(request.user)
    joined = {m.organization_id: m for m in strategy.members.all()}
    join_form = forms.JoinForm(organizations=_joinable(mine, joined)) if not _embed(request) else None
    own = [(joined[o.pk], forms.MemberIndicatorForm(prefix=f"m{joined[o.pk].pk}")) for o in mine if o.pk in joined]
    return render(request, "portal/strategy.html", _context(
        request, region, strategy=strategy, members=members, join_form=join_form, own=own,
        sectors=StrategyMember.Sector))


def _joinable(mine: list[Any], joined: dict[int, StrategyMember]) -> Any:
    from jamkoll.web.accounts.models import Organization

    return Organization.objects.filter(pk__in=[o.pk for o in mine if o.pk not in joined])


@login_required
@require_POST
def strategy_join(request: HttpRequest, region_slug: str, strategy_slug: str) -> HttpResponseBase:
    region = _region(region_slug)
    strategy = _strategy(region, strategy_slug)
    mine = access.organizations_to_act_for(request.user)
    joined = {m.organization_id: m for m in strategy.members.all()}
    form = forms.JoinForm(request.POST, organizations=_joinable(mine, joined),
                          instance=StrategyMember(strategy=strategy))
    if form.is_valid():
        member = form.save()
        audit.audit(request, services.STRATEGY_JOINED, organization=member.organization, obj=member,
                    details={"strategy": strategy.slug, "region": region.slug})
        messages.success(request, _("%(org)s har anslutit sig till strategin.") % {"org": member.organization.name})
    else:
        messages.error(request, _("Anslutningen kunde inte sparas: välj en organisation där du är administratör."))
    return redirect("portal:strategy", region_slug=region.slug, strategy_slug=strategy.slug)


@login_required
@require_POST
def member_indicator_add(request: HttpRequest, region_slug: str, strategy_slug: str,
                         member_id: int) -> HttpResponseBase:
    region = _region(region_slug)
    strategy = _strategy(region, strategy_slug)
    member = get_object_or_404(StrategyMember.objects.select_related("organization"), strategy=strategy, pk=member_id)
    if not access.can_act_for(request.user, member.organization):
        raise Http404
    form = forms.MemberIndicatorForm(request.POST, prefix=f"m{member.pk}", instance=MemberIndicator(member=member))
    if form.is_valid():
        indicator = form.save()
        audit.audit(request, services.MEMBER_INDICATOR_PUBLISHED, organization=member.organization, obj=indicator,
                    details={"strategy": strategy.slug})
        messages.success(request, _("Indikatorn är publicerad."))
    else:
        errors = "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                           for f, e in form.errors.items())
        messages.error(request, _("Indikatorn kunde inte sparas: %(errors)s") % {"errors": errors})
    return redirect("portal:strategy", region_slug=region.slug, strategy_slug=strategy.slug)


# -- the region's admin: uploads ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.select_related("organization"), slug=region_slug)
    if not perm.can_view_organization(request.user, region.organization):
        raise Http404
    perm.require(access.can_manage_region(request.user, region))
    indicator_form = forms.IndicatorUploadForm()
    geometry_form = forms.GeometryUploadForm()
    problems: list[Any] = []
    if request.method == "POST" and "upload_indicators" in request.POST:
        indicator_form = forms.IndicatorUploadForm(request.POST, request.FILES)
        if indicator_form.is_valid():
            try:
                result = services.import_uploads(region, request.user, indicator_form.cleaned_data["files"], request,
                                                 scb_kpi=indicator_form.cleaned_data["scb_kpi"] or None)
            except ImportRejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Inläst (%(formats)s): %(values)s värden och %(kpis)s nyckeltal.")
                                 % result)
                return redirect(reverse("portal:manage", args=[region.slug]))
    elif request.method == "POST" and "upload_geometry" in request.POST:
        geometry_form = forms.GeometryUploadForm(request.POST, request.FILES)
        if geometry_form.is_valid():
            upload = geometry_form.cleaned_data["file"]
            try:
                geometry = services.upload_geometry(region, request.user, upload.name, upload.read(), request)
            except ImportRejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Kartan är uppdaterad: %(n)s kommuner.") % {
                    "n": len(geometry.geojson["features"])})
                return redirect(reverse("portal:manage", args=[region.slug]))
    return render(request, "portal/manage.html", _context(
        request, region, indicator_form=indicator_form, geometry_form=geometry_form, problems=problems,
        geometry=getattr(region, "geometry", None), kpi_count=len(services.portal_kpis(region)),
        can_manage=True, section="manage", map_source=MAP_SOURCE))
