"""The yearly gender-equality follow-up report (jämställdhetsuppföljning) in HTML, PDF, Word and Excel.

``write_report(analysis, out)`` writes the association's report for the board;
``write_report(analysis, out, intervention="INS03")`` the steering-group report of one intervention.
The content is built once (:func:`build_context`) and laid out by each writer. Nothing here needs
the network or Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from jamkoll.analysis.results import Analysis
from jamkoll.reports.charts import render_png, render_svg
from jamkoll.reports.governance import GovernanceSummary
from jamkoll.reports.model import ReportContext
from jamkoll.reports.sections.build import build_context

__all__ = ["FORMATS", "GovernanceSummary", "ReportContext", "build_context", "report_stem", "write_report"]

FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "xlsx")


def report_stem(ctx: ReportContext) -> str:
    """File name without extension, e.g. ``jamstalldhetsrapport-2025`` or ``styrgruppsrapport-2025-INS03``."""
    if ctx.lang == "sv":
        base = "jamstalldhetsrapport" if ctx.intervention is None else "styrgruppsrapport"
    else:
        base = "gender-equality-report" if ctx.intervention is None else "steering-group-report"
    parts = [base]
    if ctx.year is not None:
        parts.append(str(ctx.year))
    if ctx.intervention is not None:
        parts.append("".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in ctx.intervention))
    return "-".join(parts)


def _formats(formats: Iterable[str] | str) -> list[str]:
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = [f.strip().lower().lstrip(".") for f in items if f and f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ValueError(
            f"unknown report format(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return [f for f in FORMATS if f in wanted]


def write_report(
    analysis: Analysis,
    out: Path,
    *,
    formats: Iterable[str] | str = FORMATS,
    lang: str = "sv",
    intervention: str | None = None,
    previous: Analysis | None = None,
    progress: Callable[[str], None] | None = None,
    today: dt.date | None = None,
    governance: GovernanceSummary | None = None,
) -> dict[str, Path]:
    """Write the report into the folder ``out`` (created if needed), one file per format.

    ``formats``: any of ``html``, ``pdf``, ``docx``, ``xlsx`` (a list, or a comma-separated string).
    ``lang``: ``"sv"`` (default) or ``"en"``. ``intervention``: an intervention id for the
    steering-group report of that intervention alone. ``previous``: the analysis of the year before,
    for the year-on-year comparison. ``progress`` is called with a short description before each of
    the ``2 + len(formats)`` steps. ``governance`` (a :class:`GovernanceSummary`) adds the chapter
    "Jämställdhetsintegrering: plan, fynd, ansökningar och budget". Returns ``{format: path}``;
    raises ``ValueError`` for an unknown format, language or intervention.
    """
    chosen = _formats(formats)

    def step(text: str) -> None:
        if progress is not None:
            progress(text)

    step("innehåll" if lang == "sv" else "content")
    ctx = build_context(analysis, lang=lang, intervention=intervention, previous=previous, today=today,
                        governance=governance)
    step("diagram" if lang == "sv" else "charts")
    # Each chart is rendered once per kind and the bytes are shared by the writers that need them.
    for figure in ctx.figures():
        if "html" in chosen:
            render_svg(figure, lang)
        if "pdf" in chosen or "docx" in chosen:
            render_png(figure, lang)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(ctx)
    paths: dict[str, Path] = {}
    for fmt in chosen:
        path = out / f"{stem}.{fmt}"
        step(path.name)
        if fmt == "html":
            from jamkoll.reports.html import write_html

            paths[fmt] = write_html(ctx, path)
        elif fmt == "pdf":
            from jamkoll.reports.html import write_pdf

            paths[fmt] = write_pdf(ctx, path)
        elif fmt == "docx":
            from jamkoll.reports.word import write_docx

            paths[fmt] = write_docx(ctx, path)
        else:
            from jamkoll.reports.excel import write_xlsx

            paths[fmt] = write_xlsx(ctx, path)
    return paths
