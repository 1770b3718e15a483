"""The ``jamkoll`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from jamkoll.ingest import DEFAULT_STORE, ImportRejected, ImportReport, Store, import_files, validate_files
from jamkoll.ingest.schema import SEX_LABELS_SV
from jamkoll.ingest.validate import TABLE_LABELS_SV

app = typer.Typer(
    help="Jämkoll: könsuppdelad uppföljning och jämställdhetsintegrering för samordningsförbund, "
    "kommuner och regioner. Jämkoll: sex-disaggregated follow-up of funded interventions.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[Path, typer.Option("--store", help="Mapp för analysdatabasen (skapas vid behov).")]


@app.command("demo-data")
def demo_data(
    out: Annotated[Path, typer.Argument(help="Mapp att skriva demodata till.")],
    seed: Annotated[int, typer.Option(help="Slumpfrö: samma frö ger samma data.")] = 2026,
) -> None:
    """Skapa ett påhittat samordningsförbund med kända, inplanterade skillnader (XLSX, CSV och facit)."""
    from jamkoll.demo import write_demo

    paths = write_demo(out, seed)
    for key, path in paths.items():
        console.print(f"[green]✓[/green] {key}: {path}")


def _print_report(report: ImportReport, verb: str) -> None:
    table = Table(title=f"{verb}: {', '.join(report.files)}")
    table.add_column("Tabell")
    table.add_column("Rader", justify="right")
    for name, n in report.rows.items():
        table.add_row(TABLE_LABELS_SV.get(name, name), str(n))
    console.print(table)
    people = ", ".join(f"{SEX_LABELS_SV[k]} {v}" for k, v in report.sex.items())
    console.print(f"Deltagare: {people}")
    console.print(f"Insatser: {', '.join(report.interventions) or '–'}")
    for warning in report.warnings:
        console.print(f"[yellow]Varning:[/yellow] {warning}")


def _reject(exc: ImportRejected) -> None:
    err.print(exc.summary(), markup=False, highlight=False)
    raise typer.Exit(code=1)


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="CSV- eller XLSX-filer enligt dataformatet.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Läs in deltagardata. Allt eller inget: vid minsta fel sparas ingenting och alla fel listas."""
    with Progress(TextColumn("{task.description}"), BarColumn(), console=err, transient=True) as progress:
        task = progress.add_task("Läser filer", total=len(paths) + 1)

        def step(name: str) -> None:
            progress.update(task, advance=1, description=f"Läser {name}")

        try:
            report = import_files(paths, Store(store), progress=step)
        except ImportRejected as exc:
            progress.stop()
            _reject(exc)
            return
    _print_report(report, "Importerat")
    console.print(f"[green]Sparat i {store}[/green]")


@app.command("validate")
def validate_command(
    paths: Annotated[list[Path], typer.Argument(help="CSV- eller XLSX-filer att kontrollera.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Kontrollera filer utan att spara något (samma kontroller som vid import)."""
    try:
        report = validate_files(paths, Store(store))
    except ImportRejected as exc:
        _reject(exc)
        return
    _print_report(report, "Kontrollerat, inga fel")


def main() -> None:  # pragma: no cover - entry point for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # type: ignore[func-returns-value]
