"""What the portal's pages, admin uploads, API and demo share: storing indicator files and map
geometry, reading a region's values back as the library's tidy frame, and publishing an
association's yearly figures through disclosure control."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import pandas as pd
from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest

from jamkoll.indicators import compute, register
from jamkoll.indicators.files import IndicatorFile, read_indicator_bytes
from jamkoll.indicators.kolada import VALUE_COLUMNS
from jamkoll.indicators.maps import check_geojson
from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.web.accounts.models import Organization
from jamkoll.web.lib import audit

from .models import KPI, Geometry, IndicatorValue, PublishedFigure, Region

INDICATORS_UPLOADED = "portal_indicators_uploaded"
INDICATORS_REJECTED = "portal_indicators_rejected"
GEOMETRY_UPLOADED = "portal_geometry_uploaded"
GEOMETRY_REJECTED = "portal_geometry_rejected"
FIGURES_PUBLISHED = "portal_figures_published"
STRATEGY_JOINED = "portal_strategy_joined"
MEMBER_INDICATOR_PUBLISHED = "portal_member_indicator_published"


# -- indicator files ------------------------------------------------------------------------------


def read_upload(name: str, raw: bytes, scb_kpi: str | None = None) -> IndicatorFile:
    """What one uploaded file holds (values, KPI metadata, format, source). Raises ImportRejected.

    Every format of :mod:`jamkoll.indicators.files`: Kolada JSON (values or KPI metadata), Kolada and
    rKolada CSV/XLSX, SCB's PxWeb JSON-stat 2, json-stat, json and CSV."""
    return read_indicator_bytes(name, raw, scb_kpi=scb_kpi)


@transaction.atomic
def store_indicators(values: pd.DataFrame | None, kpis: pd.DataFrame | None,
                     sources: dict[str, str] | None = None) -> dict[str, int]:
    """Create or update KPIs (title, division by gender, description, auspice, operating area, source)
    and replace the given values (same kpi, area, year and sex). ``sources`` names the source of KPIs
    that come with values but without metadata (default Kolada)."""
    known = {k.kpi_id: k for k in KPI.objects.all()}
    if kpis is not None:
        for row in kpis.to_dict("records"):
            kpi = known.get(row["id"]) or KPI(kpi_id=row["id"])
            kpi.title, kpi.is_divided_by_gender = row["title"], bool(row["is_divided_by_gender"])
            kpi.description = row.get("description") or kpi.description
            kpi.auspice = str(row.get("auspice") or kpi.auspice)[:20]
            kpi.operating_area = str(row.get("operating_area") or kpi.operating_area)[:300]
            kpi.source = str(row.get("source") or kpi.source or "Kolada")[:100]
            kpi.save()
            known[row["id"]] = kpi
    stored = 0
    if values is not None and not values.empty:
        for kpi_id, part in values.groupby("kpi"):
            kpi = known.get(str(kpi_id))
            if kpi is None:
                # Values before their KPI list: the id stands in for the title until the list comes.
                divided = bool(part["gender"].isin(["K", "M"]).any())
                kpi = known[str(kpi_id)] = KPI.objects.create(
                    kpi_id=str(kpi_id), title=str(kpi_id), is_divided_by_gender=divided,
                    source=(sources or {}).get(str(kpi_id), "Kolada"))
            IndicatorValue.objects.filter(kpi=kpi, area_id__in=set(part["municipality_id"]),
                                          period__in={int(p) for p in part["period"]}).delete()
            IndicatorValue.objects.bulk_create([
                IndicatorValue(kpi=kpi, area_id=r.municipality_id, period=int(r.period), gender=r.gender,
                               value=None if pd.isna(r.value) else float(r.value),
                               count=None if pd.isna(r.count) else int(r.count), status=r.status)
                for r in part.itertuples(index=False)], batch_size=2000)
            stored += len(part)
    return {"values": stored, "kpis": 0 if kpis is None else len(kpis)}


def import_uploads(region: Region, user: Any, files: Iterable[Any], request: HttpRequest | None = None,
                   scb_kpi: str | None = None) -> dict[str, Any]:
    """Read every uploaded file first, then store all or nothing; audited either way."""
    values: list[pd.DataFrame] = []
    kpis: list[pd.DataFrame] = []
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    names, formats = [], []
    for upload in files:
        names.append(upload.name)
        try:
            found = read_upload(upload.name, upload.read(), scb_kpi=scb_kpi)
        except ImportRejected as exc:
            problems += exc.problems
            continue
        formats.append(found.format)
        if not found.values.empty:
            values.append(found.values)
            sources.update({str(k): found.source for k in found.values["kpi"].unique()})
        if found.kpis is not None:
            kpis.append(found.kpis)
    if problems:
        audit.audit(request, INDICATORS_REJECTED, user=user, organization=region.organization,
                    details={"files": names, "problems": len(problems)})
        raise ImportRejected(problems)
    result = store_indicators(pd.concat(values, ignore_index=True) if values else None,
                              pd.concat(kpis, ignore_index=True) if kpis else None, sources)
    audit.audit(request, INDICATORS_UPLOADED, user=user, organization=region.organization, obj=region,
                details={"files": names, "formats": formats, **result})
    return {**result, "formats": ", ".join(dict.fromkeys(formats))}


# -- geometry -------------------------------------------------------------------------------------


def upload_geometry(region: Region, user: Any, name: str, raw: bytes,
                    request: HttpRequest | None = None) -> Geometry:
    """Check a GeoJSON file and make it the region's map; raises ImportRejected with every problem."""
    collection, problems, missing = check_geojson(raw, region.county_code, file=name)
    if collection is None:
        audit.audit(request, GEOMETRY_REJECTED, user=user, organization=region.organization,
                    details={"file": name, "problems": len(problems)})
        raise ImportRejected(problems)
    geometry, _created = Geometry.objects.update_or_create(region=region, defaults={
        "geojson": collection, "file_name": name[:255], "sha256": hashlib.sha256(raw).hexdigest(),
        "missing": missing, "uploaded_by": user if getattr(user, "is_authenticated", False) else None})
    audit.audit(request, GEOMETRY_UPLOADED, user=user, organization=region.organization, obj=geometry,
                details={"file": name, "features": len(collection["features"]), "missing": missing})
    return geometry


# -- reading values back ----------------------------------------------------------------------------


def region_area_ids(region: Region) -> list[str]:
    return [*(m.code for m in register.municipalities_in(region.county_code)), region.kolada_id, register.COUNTRY_ID]


def _values_version() -> str:
    stats = IndicatorValue.objects.aggregate(n=Count("id"), last=Max("id"))
    return f"{stats['n']}-{stats['last']}"


def region_values(region: Region) -> pd.DataFrame:
    """The tidy values (``jamkoll.indicators.kolada.VALUE_COLUMNS``) of the region's municipalities, the
    region and the country; cached until values change."""
    key = f"portal-values-{region.pk}-{_values_version()}"
    frame: pd.DataFrame | None = caches["local"].get(key)
    if frame is None:
        rows = IndicatorValue.objects.filter(area_id__in=region_area_ids(region)).values_list(
            "kpi__kpi_id", "area_id", "period", "gender", "value", "count", "status")
        frame = pd.DataFrame(list(rows), columns=VALUE_COLUMNS)
        frame["value"] = frame["value"].astype("float64")
        frame["count"] = pd.array(frame["count"], dtype="Int64")
        caches["local"].set(key, frame, 600)
    return frame


def region_comparison(region: Region, values: pd.DataFrame, kpi: str, period: int | None,
                      ranked: bool = True) -> compute.RegionalComparison:
    """:func:`jamkoll.indicators.compute.compare` of the region's ``values``, computed once per values version
    (it reshapes every value of the region: most of a portal page's time), cached until values change."""
    key = f"portal-compare-{region.pk}-{region.county_code}-{_values_version()}-{kpi}-{period}-{ranked}"
    found: compute.RegionalComparison | None = caches["local"].get(key)
    if found is None:
        found = compute.compare(values, kpi, region.county_code, period, ranked=ranked)
        caches["local"].set(key, found, 600)
    return found


def attribution(kpis: Iterable[KPI]) -> str:
    """``Källa: Kolada`` or ``Källa: Kolada, SCB``: the sources of the KPIs shown (Kolada when none)."""
    sources = list(dict.fromkeys(k.source or "Kolada" for k in kpis))
    return f"Källa: {', '.join(sources) if sources else 'Kolada'}"


def portal_kpis(region: Region) -> list[KPI]:
    """The KPIs divided by gender that have values in the region, in goal order, then by id."""
    order = {key: i for i, key in enumerate([*(k for k, _v in KPI._meta.get_field("goal").choices or [])])}
    kpis = KPI.objects.filter(is_divided_by_gender=True, values__area_id__in=region_area_ids(region)).distinct()
    return sorted(kpis, key=lambda k: (order.get(k.goal, 99), k.kpi_id))


# -- an association's published figures ------------------------------------------------------------

MEASURES = {
    "started": "Deltagare som började under året",
    "exits_work": "Avslut till arbete (inskrivna under året)",
    "exits_studies": "Avslut till studier (inskrivna under året)",
}


def association_figures(org: Organization, year: int) -> pd.DataFrame:
    """The organisation's headline figures of a year, as the library publishes them.

    The web runs no SQL of its own on the store: the figures are the cells of the year's analysis
    tables that define each measure (:data:`jamkoll.analysis.publication.HEADLINE_MEASURES`), through
    the publication gate, so the portal shows what the report and the dashboards show."""
    from jamkoll.analysis.publication import headline_figures
    from jamkoll.web.front.analysis import analysis_for

    analysis = analysis_for(org, year)  # the kept analysis of the store's current version
    if analysis is None:
        raise FileNotFoundError(f"{org.slug} has no data")
    return headline_figures(analysis.tables)


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def publish_association_figures(org: Organization, region: Region, years: Iterable[int], user: Any = None,
                                request: HttpRequest | None = None) -> list[PublishedFigure]:
    """Publish the association's yearly figures on the region's portal: the library's published
    figures (:func:`association_figures`), never counts of the portal's own."""
    year_list = sorted(set(years))
    published = []
    for year in year_list:
        figures = association_figures(org, year)
        for measure, label in MEASURES.items():
            women, men, total = (_int(figures.at[measure, c]) for c in ("women", "men", "total"))
            figure, _created = PublishedFigure.objects.update_or_create(
                organization=org, region=region, year=year, measure=measure,
                defaults={"label": label, "women": women, "men": men, "total": total,
                          "published_by": user if getattr(user, "is_authenticated", False) else None})
            published.append(figure)
    audit.audit(request, FIGURES_PUBLISHED, user=user, organization=org,
                details={"region": region.slug, "years": year_list})
    return published
