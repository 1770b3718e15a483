"""``jamkoll indicators …``: read, download and write regional gender-equality indicators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from jamkoll.ingest.problems import ImportRejected

app = typer.Typer(help="Regionala jämställdhetsindikatorer (Kolada, SCB).", no_args_is_help=True)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _summary(values: pd.DataFrame) -> None:
    years = sorted(set(values["period"]))
    console.print(f"{len(values)} värden, {values['kpi'].nunique()} nyckeltal, "
                  f"{values['municipality_id'].nunique()} områden, år {years[0] if years else '–'}–"
                  f"{years[-1] if years else '–'}")


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Kolada-JSON (värden eller nyckeltal), CSV/XLSX i Koladas "
                                                "format (även från rKolada), SCB:s PxWeb-JSON (JSON-stat 2, "
                                                "json-stat, json) eller PxWeb-CSV.")],
    scb_kpi: Annotated[str | None, typer.Option("--scb-kpi", help="Id för nyckeltalet i SCB-tabeller (CSV/XLSX: "
                                                "krävs; JSON: ersätter innehållskoden).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Skriv alla värden som en CSV hit.")] = None,
    kpi_out: Annotated[Path | None, typer.Option("--kpi-out", help="Skriv nyckeltalens metadata som en CSV hit.")]
    = None,
) -> None:
    """Kontrollera och läs indikatorfiler; allt eller inget, med alla fel listade."""
    from jamkoll.indicators.files import read_indicators
    from jamkoll.indicators.kolada import empty_values

    try:
        files = [read_indicators(p, scb_kpi=scb_kpi) for p in paths]
    except ImportRejected as exc:
        err.print(exc.summary(), markup=False, highlight=False)
        raise typer.Exit(code=1) from exc
    frames = [f.values for f in files if not f.values.empty]
    values = pd.concat(frames, ignore_index=True) if frames else empty_values()
    kpi_frames = [f.kpis for f in files if f.kpis is not None]
    for path, found in zip(paths, files, strict=True):
        console.print(f"{path.name}: {found.format} (Källa: {found.source})", markup=False, highlight=False)
    if not values.empty:
        _summary(values)
    if kpi_frames:
        kpis = pd.concat(kpi_frames, ignore_index=True).drop_duplicates("id", keep="last")
        divided = int(kpis["is_divided_by_gender"].sum())
        console.print(f"{len(kpis)} nyckeltal med metadata, {divided} könsuppdelade")
        if kpi_out is not None:
            kpis.to_csv(kpi_out, index=False)
            console.print(f"[green]✓[/green] {kpi_out}")
    if out is not None:
        sources = [f.source for f in files for _ in range(len(f.values))]
        values.assign(source=sources if len(sources) == len(values) else "").to_csv(out, index=False)
        console.print(f"[green]✓[/green] {out}")


@app.command("fetch")
def fetch_command(
    kpi: Annotated[list[str], typer.Option("--kpi", help="Koladas nyckeltals-id (kan upprepas).")],
    municipality: Annotated[list[str], typer.Option("--municipality", help="Kommunkod, 00+länskod för en region "
                                                    "eller 0000 för riket (kan upprepas).")],
    year: Annotated[list[int] | None, typer.Option("--year", help="År (kan upprepas; standard alla).")] = None,
    out: Annotated[Path, typer.Option("--out", help="CSV-fil att skriva.")] = Path("kolada.csv"),
    metadata: Annotated[Path | None, typer.Option("--metadata", help="Hämta också nyckeltalens metadata och "
                                                  "skriv dem som Kolada-JSON hit (läses av indicators import).")]
    = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Koladas API-adress (en spegel); standard "
                                                 "JAMKOLL_KOLADA_URL eller https://api.kolada.se/v3.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Sekunder per anrop.")] = 30.0,
) -> None:
    """Hämta värden från Koladas API (v3), sida för sida och högst 25 id per anrop. Källa: Kolada."""
    import json

    from jamkoll.indicators.client import ATTRIBUTION, KoladaClient, KoladaUnavailable

    client = KoladaClient(base_url, timeout=timeout)
    try:
        values = client.values(kpi, municipality, year or [])
        kpis = client.kpis(kpi) if metadata is not None else None
    except (KoladaUnavailable, ImportRejected) as exc:
        err.print(exc.summary() if isinstance(exc, ImportRejected) else str(exc), markup=False, highlight=False)
        raise typer.Exit(code=1) from exc
    values.assign(source="Kolada").to_csv(out, index=False)
    _summary(values)
    console.print(f"[green]✓[/green] {out} ({ATTRIBUTION})")
    if metadata is not None and kpis is not None:
        records = kpis.drop(columns=["source"]).to_dict("records")
        metadata.write_text(json.dumps({"count": len(records), "values": records}, ensure_ascii=False, indent=1),
                            encoding="utf-8")
        console.print(f"[green]✓[/green] {metadata} ({len(records)} nyckeltal)")


@app.command("scb")
def scb_command(
    table: Annotated[str, typer.Argument(help="Tabellens id i SCB:s Statistikdatabas (PxWebApi 2), t.ex. TAB638.")],
    select: Annotated[list[str], typer.Option("--select", help="Variabel=koder, t.ex. Region=0180,20 eller "
                                              "Tid=2023 (kan upprepas).")],
    out: Annotated[Path, typer.Option("--out", help="CSV-fil att skriva.")] = Path("scb.csv"),
    scb_kpi: Annotated[str | None, typer.Option("--scb-kpi", help="Id för nyckeltalet (standard: innehållskoden).")]
    = None,
    base_url: Annotated[str, typer.Option("--base-url", help="PxWebApi 2:s adress.")]
    = "https://statistikdatabasen.scb.se/api/v2",
    timeout: Annotated[float, typer.Option("--timeout", help="Sekunder per anrop.")] = 30.0,
) -> None:
    """Hämta en tabell från SCB:s PxWebApi 2 som JSON-stat 2. Källa: SCB."""
    from jamkoll.indicators.client import KoladaUnavailable
    from jamkoll.indicators.pxweb import ATTRIBUTION, PxWebClient

    selection: dict[str, list[str]] = {}
    for item in select:
        name, _, codes = item.partition("=")
        if not name.strip() or not codes.strip():
            err.print(f"--select ska vara Variabel=kod,kod (fick {item!r}).", markup=False, highlight=False)
            raise typer.Exit(code=2)
        selection[name.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    try:
        values, _kpis = PxWebClient(base_url, timeout=timeout).table(table, selection, scb_kpi)
    except (KoladaUnavailable, ImportRejected) as exc:
        err.print(exc.summary() if isinstance(exc, ImportRejected) else str(exc),
                  markup=False, highlight=False)
        raise typer.Exit(code=1) from exc
    values.assign(source="SCB").to_csv(out, index=False)
    _summary(values)
    console.print(f"[green]✓[/green] {out} ({ATTRIBUTION})")


@app.command("demo")
def demo_command(out: Annotated[Path, typer.Argument(help="Mapp att skriva demoindikatorerna till.")]) -> None:
    """Skriv påhittade indikatorer för Region Dalarna och dess kommuner (Kolada-JSON och CSV)."""
    from jamkoll.indicators.demo import write_demo_indicators

    for key, path in write_demo_indicators(out).items():
        console.print(f"[green]✓[/green] {key}: {path}")
