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
from jamkoll.ingest import (
    DEFAULT_STORE,
    ImportPlan,
    ImportRejected,
    ImportReport,
    Scope,
    ScopeRefused,
    Store,
    VersionNotFound,
    import_files,
    plan_files,
    validate_files,
)
from jamkoll.ingest.schema import SEX_LABELS_SV
from jamkoll.ingest.scope import REPLACE_MODES
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


ReplaceOption = Annotated[str, typer.Option(
    "--replace", help="Vad importen ersätter: year (standard: insatsernas år som filerna har rader för), "
    "intervention (alla år för insatserna i filerna) eller all (hela databasen).")]


def _print_plan(plan: ImportPlan) -> None:
    table = Table(title="Ändringar per insats och år")
    for column in ("Tabell", "Insats", "År", "Nya", "Ändrade", "Borttagna", "Oförändrade"):
        table.add_column(column, justify="right" if column not in ("Tabell", "Insats") else "left")
    for c in plan.changes:
        table.add_row(TABLE_LABELS_SV.get(c.table, c.table), c.intervention_id, "–" if c.year is None else str(c.year),
                      str(c.added), str(c.changed), f"[red]{c.removed}[/red]" if c.removed else "0", str(c.unchanged))
    console.print(table)
    for r in plan.removals():
        where = " (utanför de angivna åren)" if r.outside else ""
        console.print(f"Tar bort {r.count} {TABLE_LABELS_SV.get(r.table, r.table)} för {r.intervention_id} från "
                      f"{r.years_text}{where}.")


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="CSV- eller XLSX-filer enligt dataformatet.")],
    store: StoreOption = DEFAULT_STORE,
    replace: ReplaceOption = "year",
    year: Annotated[list[int] | None, typer.Option(
        "--year", help="År som filerna gäller (kan upprepas); standard: åren som raderna har.")] = None,
    allow_removal: Annotated[bool, typer.Option(
        "--allow-removal",
        help="Tillåt att rader utanför de angivna åren tas bort (visas först med --dry-run).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Visa bara vad importen skulle ändra.")] = False,
) -> None:
    """Läs in deltagardata som en ny version av databasen. Allt eller inget: vid minsta fel sparas ingenting.

    Importen ersätter bara det den anger: standard är insatserna och åren (inskrivningsdatumets år) som
    filerna har rader för. Att ta bort rader utanför de angivna åren kräver --allow-removal.
    """
    if replace not in REPLACE_MODES:
        err.print(f"Okänt värde för --replace: {replace}. Välj year, intervention eller all.")
        raise typer.Exit(code=2)
    scope = Scope(mode=replace, years=frozenset(year) if year else None, allow_removal_outside=allow_removal)
    if dry_run:
        try:
            report = plan_files(paths, Store(store), scope)
        except ImportRejected as exc:
            _reject(exc)
            return
        _print_report(report, "Kontrollerat, inga fel")
        if report.plan:
            _print_plan(report.plan)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), console=err, transient=True) as progress:
        task = progress.add_task("Läser filer", total=len(paths) + 1)

        def step(name: str) -> None:
            progress.update(task, advance=1, description=f"Läser {name}")

        try:
            report = import_files(paths, Store(store), progress=step, scope=scope, author=_author())
        except ImportRejected as exc:
            progress.stop()
            _reject(exc)
            return
        except ScopeRefused as exc:
            progress.stop()
            _print_plan(exc.plan)
            err.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(code=1) from exc
    _print_report(report, "Importerat")
    if report.plan:
        _print_plan(report.plan)
    console.print(f"[green]Sparat i {store} som version {report.version}[/green]")


def _author() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        return None


@app.command("versions")
def versions_command(store: StoreOption = DEFAULT_STORE) -> None:
    """Lista databasens versioner: vem, när, vilka filer, och vilken som gäller."""
    source = Store(store)
    history = source.versions()
    if not history:
        err.print(f"Ingen analysdatabas i {store}: kör 'jamkoll import' först.")
        raise typer.Exit(code=1)
    current = source.current_version()
    table = Table(title=f"Versioner i {store}")
    for column in ("Version", "Tid", "Vem", "Typ", "Filer / återställd", "Kvar"):
        table.add_column(column)
    for v in reversed(history):
        what = ", ".join(v.files) if v.kind != "rollback" else f"återställer version {v.parent}"
        mark = " (aktuell)" if v.number == current else ""
        table.add_row(f"{v.number}{mark}", v.created_at.replace("T", " "), v.author or "–",
                      KIND_SV.get(v.kind, v.kind), what or "–", "ja" if v.available else "nej")
    console.print(table)


KIND_SV = {"import": "import", "rollback": "återställning", "initial": "första"}


@app.command("rollback")
def rollback_command(
    version: Annotated[int, typer.Argument(help="Versionen att återställa (se 'jamkoll versions').")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Gör en tidigare version aktuell igen. Det blir en ny version, så även återställningen kan ångras."""
    source = Store(store)
    try:
        created = source.rollback(version, author=_author())
    except VersionNotFound as exc:
        err.print(str(exc))
        raise typer.Exit(code=1) from exc
    console.print(f"[green]Version {version} återställd som version {created.number}.[/green]")


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


@app.command("template")
def template_command(
    out: Annotated[Path, typer.Option("--out", help="XLSX-fil att skriva mallen till.")] = Path("jamkoll-mall.xlsx"),
) -> None:
    """Skriv en Excel-mall för deltagardata: ett blad per tabell, listor för kodade värden, instruktioner."""
    from jamkoll.ingest.template import write_template

    console.print(f"[green]✓[/green] Mall: {write_template(out)}")


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
        from jamkoll.reports.labels import analysis_json

        json_out.write_text(analysis_json(analysis), encoding="utf-8")
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
    audit_with: Annotated[list[Path] | None, typer.Option(
        "--audit-with", help="Tidigare publicerade utdata (mappar, XLSX, JSON) att granska tillsammans med rapporten.",
    )] = None,
) -> None:
    """Skriv jämställdhetsuppföljningen för ett år som HTML, PDF, DOCX och XLSX.

    Innan något skrivs granskas rapporten som en angripare skulle göra (jamkoll audit-disclosure),
    tillsammans med det som redan ligger i --out och i --audit-with; rapporten skrivs bara om ingen
    dold eller liten uppgift kan räknas fram."""
    import os
    import shutil
    import tempfile

    from jamkoll.analysis import AnalysisConfig, analyze
    from jamkoll.analysis.engine import available_years
    from jamkoll.audit import audit_paths
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
    audit_with = list(audit_with or [])
    with Progress(TextColumn("{task.description}"), BarColumn(), console=err, transient=True) as progress:
        task = progress.add_task("Analyserar", total=4 + len(wanted))
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

        # Written aside first (with the workbook the auditor reads), audited together with what was
        # published before (--audit-with, and the files already in --out), moved into place only if
        # no suppressed or small count can be worked out from all of it.
        staging = Path(tempfile.mkdtemp(prefix=".jamkoll-report-", dir=out.parent if out.parent.exists() else None))
        try:
            written = write_report(analysis, staging, formats=sorted({*wanted, "xlsx"}), lang=lang,
                                   intervention=intervention, previous=previous, progress=step)
            result = audit_paths([staging, *[p for p in (out, *audit_with) if p.exists()]], threshold=threshold)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    if not result.ok:
        shutil.rmtree(staging, ignore_errors=True)
        err.print(result.summary())
        err.print("[red]Rapporten skrevs inte:[/red] röjandegranskningen ovan hittade uppgifter som kan räknas fram.")
        raise typer.Exit(code=1)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, path in written.items():
        if kind in wanted:
            target = out / path.name
            os.replace(path, target)
            paths[kind] = target
    shutil.rmtree(staging, ignore_errors=True)
    for kind, path in paths.items():
        console.print(f"[green]✓[/green] {kind}: {path}")
    console.print(f"Röjandegranskning: {result.audited} celler kontrollerade, inget kan räknas fram.")


@app.command("audit-disclosure")
def audit_disclosure_command(
    paths: Annotated[list[Path], typer.Argument(help="Mappar eller filer med publicerade utdata (XLSX, JSON).")],
    lang: Annotated[str, typer.Option(help="Språk för rapporten: sv eller en.")] = "sv",
    threshold: Annotated[int, typer.Option(help="Röjandegräns: antal under detta får inte gå att räkna fram.")] = 5,
    min_width: Annotated[int, typer.Option(help="Minsta bredd på intervallet för en dold cell.")] = 5,
    limit: Annotated[int | None, typer.Option(help="Visa högst så många celler och röjanden per slag.")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Skriv alla fynd som CSV hit.")] = None,
) -> None:
    """Granska publicerade utdata som en angripare: kan någon dold cell räknas fram? Avslutar med fel om ja."""
    from jamkoll.audit import ProtectionRule, audit_paths

    if lang not in ("sv", "en"):
        err.print("Välj språk sv eller en.")
        raise typer.Exit(code=2)
    try:
        with console.status("Granskar …" if lang == "sv" else "Auditing …"):
            result = audit_paths(paths, rule=ProtectionRule(min_width=min_width, small_max=threshold - 1),
                                 threshold=threshold)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"Kunde inte läsa utdata: {exc}" if lang == "sv" else f"Could not read the outputs: {exc}")
        raise typer.Exit(code=2) from exc
    console.print(result.summary(lang=lang, limit=limit), markup=False, highlight=False, soft_wrap=True)
    if csv_out:
        result.to_frame().to_csv(csv_out, index=False)
    if not result.ok:
        raise typer.Exit(code=1)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    store: Annotated[Path | None, typer.Option("--store", help="Webbappens datamapp (standard .jamkoll-web/).")] = None,
    database_url: Annotated[str | None, typer.Option(help="postgres://… för PostgreSQL i stället för SQLite.")] = None,
    trusted_proxy: Annotated[str | None, typer.Option(
        "--trusted-proxy", envvar="JAMKOLL_TRUSTED_PROXY",
        help="Adressen till en omvänd proxy (t.ex. 127.0.0.1) vars X-Forwarded-For och X-Forwarded-Proto "
             "litas på; från alla andra tas de bort. Se docs/deployment.md.")] = None,
    threads: Annotated[int, typer.Option(help="Trådar per serverprocess som besvarar sidor.")] = 8,
    processes: Annotated[int, typer.Option(
        help="Serverprocesser som besvarar sidor (Linux); en per kärna är lagom, se docs/deployment.md.")] = 1,
    workers: Annotated[int, typer.Option(
        help="Processer för bakgrundsarbete (inläsningar, fynd, rapporter); 0: kör dem i anropet.")] = 1,
) -> None:
    """Starta webbappen (inbäddad SQLite som standard, PostgreSQL med --database-url) och bakgrundsarbetet."""
    from jamkoll.web import serve, trusted_proxy_address

    console.print(f"Jämkoll körs på http://{host}:{port}/ (avsluta med Ctrl+C)")
    proxy = trusted_proxy_address(trusted_proxy)
    if proxy:
        console.print(f"Bakom en omvänd proxy på {proxy}: klientens adress och https tas från den.")
    serve(host=host, port=port, store=store, database_url=database_url, trusted_proxy=proxy or "",
          threads=max(1, threads), workers=workers, processes=max(1, processes))


@app.command("notify")
def notify_command(
    store: Annotated[Path | None, typer.Option("--store", help="Webbappens datamapp (standard .jamkoll-web/).")] = None,
    database_url: Annotated[str | None, typer.Option(help="postgres://… för PostgreSQL i stället för SQLite.")] = None,
    base_url: Annotated[str, typer.Option(help="Webbadressen i länkarna (standard JAMKOLL_BASE_URL).")] = "",
) -> None:
    """Skicka dagens e-postaviseringar (beslut, försenade åtgärder, revision av handlingsplanen); för cron eller
    en systemd-timer en gång om dagen. Samma sak skickas inte två gånger samma dag (docs/notifications.md)."""
    from django.core.management import call_command

    from jamkoll.web import configure

    configure(store, database_url)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("send_notifications", base_url=base_url)


app.add_typer(indicators_app, name="indicators")


def main() -> None:  # pragma: no cover - entry point for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # type: ignore[func-returns-value]
