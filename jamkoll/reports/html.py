"""The report as one self-contained HTML file, and as PDF through WeasyPrint from the same template."""

from __future__ import annotations

import base64
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from jamkoll.reports.charts import png_size, render_png, render_svg
from jamkoll.reports.model import ReportContext
from jamkoll.reports.text import CKM_MARK

_DESCRIPTION = {"sv": "Textbeskrivning av diagrammet", "en": "Text description of the chart"}
_SUPPRESSED = {"sv": "Visas inte för att skydda enskilda personer", "en": "Not shown, to protect individuals"}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("jamkoll.reports", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


@lru_cache(maxsize=4)
def _css(name: str) -> str:
    return (resources.files("jamkoll.reports") / "templates" / name).read_text(encoding="utf-8")


def render_html(ctx: ReportContext, *, mode: str = "html") -> str:
    """The report as an HTML string: ``mode="html"`` for screens (inline SVG), ``"pdf"`` for WeasyPrint
    (PNG charts as data URIs, page numbers and a table of contents with page numbers)."""
    if mode not in ("html", "pdf"):
        raise ValueError(f"mode must be 'html' or 'pdf', got {mode!r}")
    figures = ctx.figures()
    svgs: dict[str, str] = {}
    pngs: dict[str, str] = {}
    widths: dict[str, int] = {}
    if mode == "html":
        svgs = {f.key: render_svg(f, ctx.lang) for f in figures}
        css = _css("base.css") + _css("screen.css")
    else:
        for f in figures:
            png = render_png(f, ctx.lang)
            pngs[f.key] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            # Rendered at twice the size for sharp print; shown at its natural size.
            widths[f.key] = round(png_size(png)[0] / 2)
        page = ctx.labels["page"]
        of = ctx.labels["of"]
        css = (
            _css("base.css")
            + _css("print.css")
            + (
                f'\n@page {{ @bottom-center {{ content: "{page} " counter(page) " {of} " counter(pages); '
                "font-size: 8pt; color: #333; } }\n"
            )
        )
    template = _environment().get_template("report.html")
    return template.render(
        r=ctx,
        labels=ctx.labels,
        mode=mode,
        css=css,
        svgs=svgs,
        pngs=pngs,
        widths=widths,
        toc_depth=2 if mode == "html" else 1,
        description_label=_DESCRIPTION[ctx.lang],
        suppressed_title=_SUPPRESSED[ctx.lang],
        ckm_mark=CKM_MARK,
        ckm_anchor=f"{'metod' if ctx.lang == 'sv' else 'method'}-disclosure",  # the method's disclosure section
    )


def write_html(ctx: ReportContext, path: Path) -> Path:
    path.write_text(render_html(ctx, mode="html"), encoding="utf-8")
    return path


def write_pdf(ctx: ReportContext, path: Path) -> Path:
    import weasyprint

    # Only data: URIs (the charts) may be loaded: the PDF is made offline, from the report alone.
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"], fail_on_errors=True)
    html = weasyprint.HTML(string=render_html(ctx, mode="pdf"), url_fetcher=fetcher)
    document = html.render()
    document.metadata.title = ctx.title
    if ctx.organisation:
        document.metadata.authors = [ctx.organisation]
    document.metadata.lang = ctx.lang
    document.write_pdf(path)
    return path
