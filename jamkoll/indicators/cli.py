"""``jamkoll indicators …``: read, download and write regional gender-equality indicators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from jamkoll.ingest.problems import ImportRejected

app = typer.Typer(help="Regionala jämställdhetsindikatorer (Kolada, SCB).", no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)


def _summary(values: pd.DataFrame) -> None:
    years = sorted(set(values["period"]))
    console.print(f"{len(values)} värden, {values['kpi'].nunique()} nyckeltal, "
                  f"{values['municipality_id'].nunique()} områden, år {years[0] if years else '–'}–"
                  f"{years[-1] if years else '–'}")


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Kolada-JSON, CSV/XLSX i Koladas format eller SCB-tabell.")],
    scb_kpi: Annotated[str | None, typer.Option("--scb-kpi", help="Filerna är SCB-tabeller per kön; "
                                                "nyckeltalets id att ge värdena.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Skriv alla värden som en CSV hit.")] = None,
) -> None:
    """Kontrollera och läs indikatorfiler; allt eller inget, med alla fel listade."""
    from jamkoll.indicators.kolada import read_indicator_file

    try:
        frames = [read_indicator_file(p, scb_kpi=scb_kpi) for p in paths]
    except ImportRejected as exc:
        err.print(exc.summary(), markup=False, highlight=False)
        raise typer.Exit(code=1) from exc
    values = pd.concat(frames, ignore_index=True)
    _summary(values)
    if out is not None:
        values.to_csv(out, index=False)
        console.print(f"[green]✓[/green] {out}")


@app.command("fetch")
def fetch_command(
    kpi: Annotated[list[str], typer.Option("--kpi", help="Koladas nyckeltals-id (kan upprepas).")],
    municipality: Annotated[list[str], typer.Option("--municipality", help="Kommunkod, 00+länskod för en region "
                                                    "eller 0000 för riket (kan upprepas).")],
    year: Annotated[list[int] | None, typer.Option("--year", help="År (kan upprepas; standard alla).")] = None,
    out: Annotated[Path, typer.Option("--out", help="CSV-fil att skriva.")] = Path("kolada.csv"),
) -> None:
    """Hämta värden från Koladas API (v3). Källa: Kolada."""
    from jamkoll.indicators.client import ATTRIBUTION, KoladaClient, KoladaUnavailable

    try:
        values = KoladaClient().values(kpi, municipality, year or [])
    except (KoladaUnavailable, ImportRejected) as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(code=1) from exc
    values.to_csv(out, index=False)
    _summary(values)
    console.print(f"[green]✓[/green] {out} ({ATTRIBUTION})")


@app.command("demo")
def demo_command(out: Annotated[Path, typer.Argument(help="Mapp att skriva demoindikatorerna till.")]) -> None:
    """Skriv påhittade indikatorer för Region Dalarna och dess kommuner (Kolada-JSON och CSV)."""
    from jamkoll.indicators.demo import write_demo_indicators

    for key, path in write_demo_indicators(out).items():
        console.print(f"[green]✓[/green] {key}: {path}")
