"""Charts as Vega-Lite specs (built with Altair), rendered offline with vl-convert.

Women and men are told apart by colour *and* by something that survives grey-scale printing and
colour blindness: dark teal with a solid outline for women, a lighter orange-brown with a dashed
outline for men, and the values written on the bars. No chart loads anything from the network:
data are inlined in the spec and vl-convert is told to allow no external URL.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd

from jamkoll.reports.model import Figure

WOMEN = "#1b6b73"  # dark teal; relative luminance ~0.12
MEN = "#c8702a"  # orange-brown; relative luminance ~0.27, so the two differ in grey-scale too
REFERENCE = "#222222"
NEUTRAL_DARK = "#3d3d3d"
NEUTRAL_LIGHT = "#a8a8a8"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
WIDTH = 520  # px of the plotting area; PNGs are rendered at twice this for print
PNG_SCALE = 2.0

_CONFIG: dict[str, Any] = {
    "aria": False,  # Vega's automatic ARIA text is English; the report gives its own text alternative
    "background": "white",
    "font": FONT,
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 11,
        "labelColor": "#222",
        "titleColor": "#222",
        "gridColor": "#e3e3e3",
        "labelLimit": 300,
    },
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "symbolStrokeWidth": 1.5},
    "title": {"fontSize": 13, "anchor": "start", "color": "#111"},
}


def _sex_scales(labels: dict[str, str]) -> tuple[alt.Scale, alt.Scale]:
    domain = [labels["women"], labels["men"]]
    return (alt.Scale(domain=domain, range=[WOMEN, MEN]), alt.Scale(domain=domain, range=[[1, 0], [4, 2]]))


def _finish(chart: alt.TopLevelMixin) -> dict[str, Any]:
    # Validation against the Vega-Lite schema costs more than rendering; the specs are fixed code.
    spec: dict[str, Any] = chart.configure(**_CONFIG).to_dict(validate=False)
    return spec


def rate_chart(
    key: str,
    title: str,
    alt_text: str,
    rows: list[dict[str, Any]],
    *,
    sex_labels: dict[str, str],
    x_title: str,
    percent: bool = True,
) -> Figure:
    """Grouped horizontal bars, one pair per category: women's and men's value with 95 % whiskers.

    ``rows``: category, sex (already a label), value, low, high, text (the label printed on the bar).
    """
    data = pd.DataFrame(rows, columns=["category", "sex", "value", "low", "high", "text"])
    order = list(dict.fromkeys(data["category"]))
    colour, dash = _sex_scales(sex_labels)
    y = alt.Y("category:N", sort=order, title=None)
    y_offset = alt.YOffset("sex:N", sort=[sex_labels["women"], sex_labels["men"]])
    x_max = float(
        max(
            data["high"].max(skipna=True) if data["high"].notna().any() else 0,
            data["value"].max(skipna=True) if data["value"].notna().any() else 0,
        )
    )
    domain_max = 100.0 if percent else x_max * 1.18 or 1.0
    if percent and x_max < 60:
        domain_max = min(100.0, (int(x_max * 1.25) // 10 + 1) * 10)
    x_scale = alt.Scale(domain=[0, domain_max], nice=False)
    base = alt.Chart(data)
    bars = base.mark_bar(strokeWidth=1.2, stroke="#111", height={"band": 1}).encode(
        y=y,
        yOffset=y_offset,
        x=alt.X("value:Q", title=x_title, scale=x_scale),
        color=alt.Color("sex:N", scale=colour, title=None),
        strokeDash=alt.StrokeDash("sex:N", scale=dash, title=None),
    )
    whiskers = base.mark_rule(color="#111", strokeWidth=1.2).encode(
        y=y, yOffset=y_offset, x=alt.X("low:Q", scale=x_scale), x2="high:Q"
    )
    labels = base.mark_text(align="left", dx=4, dy=0, fontSize=10, color="#111").encode(
        y=y, yOffset=y_offset, x=alt.X("high:Q", scale=x_scale), text="text:N"
    )
    height = max(60, 34 * len(order))
    chart = (bars + whiskers + labels).properties(width=WIDTH, height=height)
    return Figure(key=key, title=title, alt=alt_text, spec=_finish(chart))


def participation_chart(
    key: str,
    title: str,
    alt_text: str,
    rows: list[dict[str, Any]],
    *,
    bar_label: str,
    reference_label: str,
    x_title: str,
) -> Figure:
    """Share of women among participants per intervention (bars, 95 % whiskers) and in its target group
    (a black tick), with a line at 50 %.

    ``rows``: label, share, low, high, reference, text.
    """
    data = pd.DataFrame(rows, columns=["label", "share", "low", "high", "reference", "text"])
    data["series"] = bar_label
    data["ref_series"] = reference_label
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None)
    x_scale = alt.Scale(domain=[0, 100], nice=False)
    # One colour scale for both layers gives one legend naming the bar and the tick.
    colour = alt.Scale(domain=[bar_label, reference_label], range=[WOMEN, REFERENCE])
    legend = alt.Legend(title=None, labelLimit=400, symbolType="square")
    base = alt.Chart(data)
    bars = base.mark_bar(stroke="#111", strokeWidth=1, height={"band": 0.7}).encode(
        y=y,
        x=alt.X("share:Q", title=x_title, scale=x_scale),
        color=alt.Color("series:N", scale=colour, legend=legend),
    )
    whiskers = base.mark_rule(color="#111", strokeWidth=1.2).encode(
        y=y, x=alt.X("low:Q", scale=x_scale), x2="high:Q"
    )
    ref = (
        base.transform_filter("isValid(datum.reference)")
        .mark_tick(thickness=3, size=22)
        .encode(
            y=y,
            x=alt.X("reference:Q", scale=x_scale),
            color=alt.Color("ref_series:N", scale=colour, legend=legend),
        )
    )
    half = (
        alt.Chart(pd.DataFrame({"x": [50.0]}))
        .mark_rule(color="#777", strokeDash=[2, 2])
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    labels = base.mark_text(align="left", dx=4, fontSize=10, color="#111").encode(
        y=y, x=alt.X("high:Q", scale=x_scale), text="text:N"
    )
    chart = (half + bars + whiskers + ref + labels).properties(width=WIDTH, height=max(60, 24 * len(order)))
    return Figure(key=key, title=title, alt=alt_text, spec=_finish(chart))


def difference_chart(
    key: str,
    title: str,
    alt_text: str,
    rows: list[dict[str, Any]],
    *,
    x_title: str,
    left_label: str,
    right_label: str,
    status_order: list[str],
) -> Figure:
    """Differences women − men with 95 % intervals (a forest plot), zero line marked.

    ``rows``: label, estimate, low, high, status (label), text. The status is told apart by the
    point's shape as well as its fill, so it reads without colour.
    """
    data = pd.DataFrame(rows, columns=["label", "estimate", "low", "high", "status", "text"])
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None)
    values = pd.concat([data["low"], data["high"], data["estimate"]]).dropna()
    bound = float(values.abs().max()) * 1.15 if len(values) else 1.0
    x_scale = alt.Scale(domain=[-bound, bound], nice=True)
    # The same status has the same mark in every chart (in the order of results.STATUSES):
    # unjustified a black diamond, explained a grey circle, uncertain a dark grey triangle, not
    # established a white square (shape and fill both differ, so grey-scale works).
    statuses = list(status_order)
    shapes = ["diamond", "circle", "triangle-up", "square"][: len(statuses)]
    fills = ["#111111", "#8a8a8a", "#4d4d4d", "#ffffff"][: len(statuses)]
    base = alt.Chart(data)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#555").encode(x=alt.X("x:Q", scale=x_scale))
    whiskers = base.mark_rule(color="#111", strokeWidth=1.4).encode(
        y=y, x=alt.X("low:Q", scale=x_scale, title=x_title), x2="high:Q"
    )
    points = base.mark_point(filled=True, size=90, stroke="#111", strokeWidth=1).encode(
        y=y,
        x=alt.X("estimate:Q", scale=x_scale),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=statuses, range=shapes), title=None),
        fill=alt.Fill("status:N", scale=alt.Scale(domain=statuses, range=fills), title=None),
    )
    labels = base.mark_text(align="left", dx=6, dy=-9, fontSize=10, color="#111").encode(
        y=y, x=alt.X("estimate:Q", scale=x_scale), text="text:N"
    )
    sides = [
        alt.Chart(pd.DataFrame({"x": [-bound], "t": [left_label]}))
        .mark_text(align="left", dy=-6, fontSize=10, color="#444", baseline="bottom")
        .encode(x=alt.X("x:Q", scale=x_scale), text="t:N", y=alt.value(0)),
        alt.Chart(pd.DataFrame({"x": [bound], "t": [right_label]}))
        .mark_text(align="right", dy=-6, fontSize=10, color="#444", baseline="bottom")
        .encode(x=alt.X("x:Q", scale=x_scale), text="t:N", y=alt.value(0)),
    ]
    chart = alt.layer(zero, whiskers, points, labels, *sides).properties(
        width=WIDTH, height=max(70, 30 * len(order))
    )
    return Figure(key=key, title=title, alt=alt_text, spec=_finish(chart))


def decomposition_chart(
    key: str, title: str, alt_text: str, rows: list[dict[str, Any]], *, x_title: str
) -> Figure:
    """The gap and its parts as horizontal bars from zero: total, explained, unexplained, and the
    explained part per background factor.

    ``rows``: label, value, group (a label telling which kind of bar), text.
    """
    data = pd.DataFrame(rows, columns=["label", "value", "group", "text"])
    order = list(data["label"])
    groups = list(dict.fromkeys(data["group"]))
    fills = [NEUTRAL_DARK, "#ffffff", NEUTRAL_LIGHT, "#dcdcdc"][: len(groups)]
    y = alt.Y("label:N", sort=order, title=None)
    bound = float(data["value"].abs().max()) * 1.3 if len(data) else 1.0
    x_scale = alt.Scale(domain=[-bound, bound], nice=True)
    base = alt.Chart(data)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#555").encode(x=alt.X("x:Q", scale=x_scale))
    bars = base.mark_bar(stroke="#111", strokeWidth=1, height={"band": 0.7}).encode(
        y=y,
        x=alt.X("value:Q", scale=x_scale, title=x_title),
        fill=alt.Fill("group:N", scale=alt.Scale(domain=groups, range=fills), title=None),
    )
    labels = (
        base.mark_text(fontSize=10, color="#111", dx=4, align="left")
        .encode(y=y, x=alt.X("text_x:Q", scale=x_scale), text="text:N")
        .transform_calculate(text_x="max(datum.value, 0)")
    )
    chart = (zero + bars + labels).properties(width=WIDTH - 60, height=max(60, 26 * len(order)))
    return Figure(key=key, title=title, alt=alt_text, spec=_finish(chart))


def trend_chart(
    key: str,
    title: str,
    alt_text: str,
    rows: list[dict[str, Any]],
    *,
    y_title: str,
    series_order: list[str],
    percent: bool,
) -> Figure:
    """Lines by year, one per series; series differ by colour, dash and point shape.

    ``rows``: year (int), series, value, text.
    """
    data = pd.DataFrame(rows, columns=["year", "series", "value", "text"])
    data["year"] = data["year"].astype(int).astype(str)
    colours = [WOMEN, MEN, REFERENCE, NEUTRAL_LIGHT][: len(series_order)]
    dashes = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]][: len(series_order)]
    shapes = ["circle", "square", "triangle-up", "diamond"][: len(series_order)]
    scale_y = alt.Scale(domain=[0, 100], nice=False) if percent else alt.Scale(zero=True)
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, scale=scale_y),
        color=alt.Color(
            "series:N", scale=alt.Scale(domain=series_order, range=colours), title=None, sort=series_order
        ),
    )
    lines = base.mark_line(strokeWidth=2.2).encode(
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series_order, range=dashes), title=None)
    )
    points = base.mark_point(filled=True, size=70, stroke="#111", strokeWidth=0.8).encode(
        shape=alt.Shape("series:N", scale=alt.Scale(domain=series_order, range=shapes), title=None)
    )
    labels = base.mark_text(dy=-10, fontSize=10, color="#111").encode(text="text:N")
    chart = (lines + points + labels).properties(width=WIDTH, height=220)
    return Figure(key=key, title=title, alt=alt_text, spec=_finish(chart))


# --------------------------------------------------------------------------------------------------
# Rendering


def _convert_kwargs(lang: str) -> dict[str, Any]:
    return {"allowed_base_urls": [], "format_locale": "sv-SE" if lang == "sv" else "en-US"}


_ID = re.compile(r'\bid="([^"]+)"')


def render_svg(figure: Figure, lang: str) -> str:
    """The chart as an SVG element ready to be put inline in HTML, rendered once and kept.

    Ids are prefixed with the figure's key, because every chart vl-convert makes calls its first
    clip path ``clip1`` and one page holds many charts; the SVG gets a <title> and <desc> with the
    text alternative and ``role="img"``.
    """
    if figure.svg:
        return figure.svg
    svg = _raw_svg(figure, lang)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", figure.key)
    for old in set(_ID.findall(svg)):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    # The whole chart is one image with its text alternative; Vega's own roles on each mark and axis
    # would be announced as unlabelled graphics (axe: svg-img-alt), so they are taken off.
    svg = _MARK_ARIA.sub("", svg)
    svg = re.sub(r"^<svg ", f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" ', svg, count=1)
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end] + f'<title id="{prefix}-title">{_escape(figure.title)}</title>'
        f'<desc id="{prefix}-desc">{_escape(figure.alt)}</desc>' + svg[head_end:]
    )
    # A fixed pixel width would overflow a phone or a narrow print column; the viewBox keeps the shape.
    size = re.match(r'<svg[^>]*? width="([\d.]+)" height="([\d.]+)"', svg)
    if size:
        svg = svg.replace(
            f' width="{size[1]}" height="{size[2]}"',
            f' style="width:100%;max-width:{size[1]}px;height:auto"',
            1,
        )
    figure.svg = svg
    return svg


_MARK_ARIA = re.compile(r' (?:role="graphics-(?:symbol|object|document)"|aria-roledescription="[^"]*"|'
                        r'aria-label="[^"]*"|aria-hidden="[^"]*")')


def _raw_svg(figure: Figure, lang: str) -> str:
    if not figure.raw_svg:
        import vl_convert as vlc

        figure.raw_svg = vlc.vegalite_to_svg(figure.spec, **_convert_kwargs(lang))
    return figure.raw_svg


def render_png(figure: Figure, lang: str) -> bytes:
    """The chart as PNG at twice screen resolution (sharp in print), rendered once and kept.

    When the SVG exists already, rasterising it is cheaper than running Vega a second time.
    """
    if figure.png:
        return figure.png
    import vl_convert as vlc

    if figure.raw_svg:
        figure.png = bytes(vlc.svg_to_png(figure.raw_svg, scale=PNG_SCALE))
    else:
        figure.png = bytes(vlc.vegalite_to_png(figure.spec, scale=PNG_SCALE, **_convert_kwargs(lang)))
    return figure.png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
