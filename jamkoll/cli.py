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

from jamkoll.indicators.cli import app as indicators_app
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


STATUS_SV = {"unjustified": "möjlig omotiverad skillnad", "explained": "förklaras av behov",
             "uncertain": "osäker", "none": "ej säkerställd"}


@app.command("analyze")
def analyze_command(
    store: StoreOption = DEFAULT_STORE,
    year: Annotated[int | None, typer.Option(help="Analysera inskrivningar som startade detta år.")] = None,
    intervention: Annotated[list[str] | None, typer.Option(help="Begränsa till en insats (kan upprepas).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Skriv alla resultat som JSON hit.")] = None,
    threshold: Annotated[int, typer.Option(help="Röjandegräns: antal under detta visas inte.")] = 5,
    min_difference: Annotated[float, typer.Option(help="Minsta justerade skillnad (procentenheter).")] = 5.0,
    all_findings: Annotated[bool, typer.Option("--all", help="Visa alla jämförelser, inte bara fynden.")] = False,
) -> None:
    """Jämför kvinnor och män: deltagande, delinsatser, resultat och resurser, med justering för behov."""
    from jamkoll.analysis import AnalysisConfig, analyze
    from jamkoll.reports.explain import explain
    from jamkoll.reports.text import covariate_label

    config = AnalysisConfig(year=year, interventions=tuple(intervention) if intervention else None,
                            threshold=threshold, min_difference_pp=min_difference)
    with console.status("Analyserar …"):
        analysis = analyze(Store(store), config)
    shown = analysis.findings if all_findings else analysis.flagged()
    title = "Alla jämförelser" if all_findings else "Möjliga omotiverade skillnader"
    table = Table(title=f"{title}{f' {year}' if year else ''}", show_lines=True)
    table.add_column("Status" if all_findings else "Insats", overflow="fold", max_width=14)
    table.add_column("Förklaring", overflow="fold")
    for f in sorted(shown, key=lambda f: (f.status != "unjustified", f.dimension, f.intervention or "")):
        first = STATUS_SV[f.status] if all_findings else (f.intervention or "alla")
        table.add_row(first, explain(f, "sv", analysis.meta.get("interventions") or {}),
                      style="bold" if f.status == "unjustified" else "")
    console.print(table)
    if not all_findings and analysis.explained():
        console.print("Skillnader som förklaras av behov: " + ", ".join(f.id for f in analysis.explained()))
    flagged = len(analysis.flagged())
    console.print(f"{len(analysis.findings)} jämförelser; {flagged} möjliga omotiverade skillnader; "
                  f"{len(analysis.explained())} förklaras av behov; {len(analysis.uncertain())} osäkra "
                  f"(data räcker inte för att avgöra). Justerat för: "
                  f"{', '.join(covariate_label(c, 'sv') for c in analysis.meta['covariates'])} "
                  f"(så långt data räcker; varje jämförelse anger sina).")
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(analysis.to_json(), encoding="utf-8")
        console.print(f"[green]Resultat skrivna till {json_out}[/green]")


@app.command("decompose")
def decompose_command(
    csv: Annotated[Path, typer.Argument(help="CSV-fil med en rad per person.")],
    outcome: Annotated[str, typer.Option(help="Utfallsvariabel (t.ex. timmar eller lön).")],
    group: Annotated[str, typer.Option(help="Gruppvariabel med exakt två värden (t.ex. kön).")],
    covariates: Annotated[str, typer.Option(help="Förklarande variabler, kommaseparerade.")],
    categorical: Annotated[str, typer.Option(help="Vilka av dem som är kategoriska, kommaseparerade.")] = "",
    json_out: Annotated[Path | None, typer.Option("--json", help="Skriv resultatet som JSON hit.")] = None,
    bootstrap: Annotated[int, typer.Option(help="Antal bootstrapdragningar för medelfel.")] = 100,
    seed: Annotated[int, typer.Option(help="Slumpfrö för bootstrap.")] = 0,
) -> None:
    """Blinder-Oaxaca-dekomposition av en skillnad mellan två grupper i valfri CSV-fil."""
    from jamkoll.analysis.oaxaca import oaxaca
    from jamkoll.ingest.readers import decode_text, detect_separator

    text = decode_text(csv.read_bytes())
    sep = detect_separator(text)
    import io

    import pandas as pd

    data = pd.read_csv(io.StringIO(text), sep=sep, decimal="," if sep == ";" else ".")
    names = [c.strip() for c in covariates.split(",") if c.strip()]
    cats = [c.strip() for c in categorical.split(",") if c.strip()]
    try:
        result = oaxaca(data, outcome, group, list(dict.fromkeys(names + cats)), categorical=cats,
                        bootstrap=bootstrap, seed=seed)
    except (ValueError, KeyError) as exc:
        err.print(f"Dekompositionen kunde inte göras: {exc}")
        raise typer.Exit(code=1) from exc
    console.print(result.summary(), markup=False, highlight=False)
    if json_out:
        json_out.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"[green]Resultat skrivna till {json_out}[/green]")


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", help="Mapp att skriva rapporten till.")],
    store: StoreOption = DEFAULT_STORE,
    year: Annotated[int | None, typer.Option(help="Rapportår (standard: senaste året i datan).")] = None,
    intervention: Annotated[str | None, typer.Option(help="Styrgruppsrapport för en insats.")] = None,
    formats: Annotated[str, typer.Option("--format", help="Format, kommaseparerade.")] = "html,pdf,docx,xlsx",
    lang: Annotated[str, typer.Option(help="Språk: sv eller en.")] = "sv",
    threshold: Annotated[int, typer.Option(help="Röjandegräns: antal under detta visas inte.")] = 5,
) -> None:
    """Skriv jämställdhetsuppföljningen för ett år som HTML, PDF, DOCX och XLSX."""
    from jamkoll.analysis import AnalysisConfig, analyze
    from jamkoll.analysis.engine import available_years
    from jamkoll.reports import write_report

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = sorted(set(wanted) - {"html", "pdf", "docx", "xlsx"})
    if unknown:
        err.print(f"Okänt format: {', '.join(unknown)}. Välj bland html, pdf, docx, xlsx.")
        raise typer.Exit(code=2)
    source = Store(store)
    if not source.exists():
        err.print(f"Ingen analysdatabas i {store}: kör 'jamkoll import' först.")
        raise typer.Exit(code=1)
    scope = (intervention,) if intervention else None
    with Progress(TextColumn("{task.description}"), BarColumn(), console=err, transient=True) as progress:
        task = progress.add_task("Analyserar", total=3 + len(wanted))
        years = available_years(source.ibis())
        year = year or max(years)
        analysis = analyze(source, AnalysisConfig(year=year, interventions=scope, threshold=threshold))
        progress.update(task, advance=1, description="Jämför med föregående år")
        previous = None
        if year - 1 in years:
            previous = analyze(source, AnalysisConfig(year=year - 1, interventions=scope, threshold=threshold))
        progress.update(task, advance=1, description="Skriver rapporten")

        def step(message: str) -> None:
            progress.update(task, advance=1, description=message)

        paths = write_report(analysis, out, formats=wanted, lang=lang, intervention=intervention,
                             previous=previous, progress=step)
    for kind, path in paths.items():
        console.print(f"[green]✓[/green] {kind}: {path}")


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    store: Annotated[Path | None, typer.Option("--store", help="Webbappens datamapp (standard .jamkoll-web/).")] = None,
    database_url: Annotated[str | None, typer.Option(help="postgres://… för PostgreSQL i stället för SQLite.")] = None,
) -> None:
    """Starta webbappen (inbäddad SQLite som standard, PostgreSQL med --database-url)."""
    from jamkoll.web import serve

    console.print(f"Jämkoll körs på http://{host}:{port}/ (avsluta med Ctrl+C)")
    serve(host=host, port=port, store=store, database_url=database_url)


app.add_typer(indicators_app, name="indicators")


def main() -> None:  # pragma: no cover - entry point for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # type: ignore[func-returns-value]
