"""Dashboards: the analysis tables as accessible HTML, per organisation and per intervention."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import translation

from jamkoll.analysis import ResultTable
from jamkoll.analysis.disclosure import Protection
from jamkoll.web.front.analysis import dashboard_charts, fit_to_width, with_tooltips
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.tables import format_value, table_rows

from .html_checks import check_page


def test_organization_dashboard_shows_tables_and_findings(planted_org: Any, planted_members: dict[str, Any],
                                                          client_for: Any) -> None:
    response = client_for(planted_members["viewer"]).get(reverse("front:dashboard", args=[planted_org.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert check_page(html) == []
    assert '<option value="2025" selected>2025</option>' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "Deltagare per år (inskrivningsår) och kön" in html
    assert "cell key-metoden" in html  # the disclosure-control note, under its table
    assert "Jobbspåret" in html and 'class="finding"' in html
    assert 'href="/o/planterat/insatser/INS05/"' in html
    charts = chart_specs(html)
    assert len(charts) >= 4, "participation, components, outcomes and a trend at least"
    assert any(key.startswith("chart-trend-") for key in charts), "participation by sex over time"
    for key, (label, spec) in charts.items():
        assert label.strip(), f"{key} has no text alternative"
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert not re.search(r'"url"\s*:', json.dumps(spec)), f"{key} would load data over the network"
    assert 'src="/static/vendor/vega-embed.min.js"' in html and 'src="/static/jamkoll/charts.js"' in html
    assert "<script>" not in html, "no inline script: the Content-Security-Policy forbids it"


def chart_specs(html: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each chart's figure id, text alternative and Vega-Lite spec as the page carries them."""
    found = {}
    for figure_id, label, spec_id in re.findall(
            r'<figure class="chart-figure" id="([^"]+)">.*?role="img" aria-label="([^"]*)">'
            r'<div class="chart" data-chart="([^"]+)"',
            html, flags=re.S):
        source = re.search(rf'<script id="{spec_id}" type="application/json">(.*?)</script>', html, flags=re.S)
        assert source, f"no spec for {figure_id}"
        found[figure_id] = (label, json.loads(source.group(1)))
    return found


def test_charts_are_built_once_per_analysis(planted_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    import jamkoll.reports
    from jamkoll.analysis import AnalysisConfig, analyze
    from jamkoll.ingest import Store

    built: list[Any] = []
    real = jamkoll.reports.build_context

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(jamkoll.reports, "build_context", counting)
    analysis = analyze(Store(planted_store), AnalysisConfig(year=2025))
    first = dashboard_charts(analysis, "sv", "INS05")
    assert dashboard_charts(analysis, "sv", "INS05") is first and len(built) == 1
    assert dashboard_charts(analysis, "en", "INS05") is not first and len(built) == 2
    other = copy.copy(analysis)
    assert dashboard_charts(other, "sv", "INS05") == first and len(built) == 3, "another analysis is built anew"


def test_chart_marks_get_tooltips() -> None:
    spec = {"layer": [{"mark": "bar"}, {"mark": {"type": "text", "dx": 4}},
                      {"mark": {"type": "rule", "tooltip": None}}]}
    marks = [layer["mark"] for layer in with_tooltips(spec)["layer"]]
    assert marks == [{"type": "bar", "tooltip": True}, {"type": "text", "dx": 4, "tooltip": True},
                     {"type": "rule", "tooltip": None}]
    assert spec["layer"][0]["mark"] == "bar", "the report's spec is not changed"


def test_intervention_dashboard(planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    client = client_for(planted_members["analyst"])
    response = client.get(reverse("front:intervention", args=[planted_org.slug, "INS05"]) + "?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert check_page(html) == []
    assert "Insats INS05" in html and "Kvinnor är underrepresenterade" in html
    # The intervention's own analysis: its figures are the intervention's, never "the whole
    # association", and the participation finding is shown once.
    assert "förbundet som helhet" not in html
    assert html.count("Kvinnor är underrepresenterade i Jobbspåret:") == 1
    # "KI" and "q" are explained where the findings use them.
    assert 'id="glossary-findings"' in html and "konfidensintervall" in html
    assert 'href="/o/planterat/insatser/INS05/rader/"' in html
    assert chart_specs(html), "the intervention's dashboard has charts too"


def test_reporters_see_only_their_interventions(planted_org: Any, planted_members: dict[str, Any],
                                                client_for: Any) -> None:
    client = client_for(planted_members["reporter"])  # assigned INS02
    html = client.get(reverse("front:dashboard", args=[planted_org.slug])).content.decode()
    assert check_page(html) == []
    assert "<caption" not in html, "no organisation-wide statistics for reporters"
    assert "/insatser/INS02/" in html and "/insatser/INS05/" not in html
    assert client.get(reverse("front:intervention", args=[planted_org.slug, "INS05"])).status_code == 403
    assert client.get(reverse("front:intervention", args=[planted_org.slug, "INS02"])).status_code == 200
    assert client.get(reverse("front:intervention", args=[planted_org.slug, "INS99"])).status_code == 404


def test_individual_rows_are_for_analysts_and_assigned_reporters_and_logged(
        planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    url = reverse("front:intervention_data", args=[planted_org.slug, "INS02"])
    response = client_for(planted_members["analyst"]).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert check_page(html) == []
    assert 'id="enrolment-rows"' in html and "Visningen loggas" in html
    assert AuditEvent.objects.filter(action="individual_data_viewed", organization=planted_org).count() == 1
    assert client_for(planted_members["reporter"]).get(url).status_code == 200
    assert client_for(planted_members["viewer"]).get(url).status_code == 403
    other = reverse("front:intervention_data", args=[planted_org.slug, "INS05"])
    assert client_for(planted_members["reporter"]).get(other).status_code == 403


def test_individual_rows_page_through_every_enrolment(planted_org: Any, planted_members: dict[str, Any],
                                                     client_for: Any) -> None:
    """Every enrolment can be reached, 200 at a time, each page logged."""
    from jamkoll.web.lib.stores import store_for

    total = len(store_for(planted_org).table("enrolments").query("intervention_id == 'INS02'"))
    assert total > 200, "the planted INS02 must need more than one page"
    client = client_for(planted_members["analyst"])
    url = reverse("front:intervention_data", args=[planted_org.slug, "INS02"])
    seen: list[str] = []
    page, pages = 1, -(-total // 200)
    while True:
        html = client.get(url, {"sida": page}).content.decode()
        assert check_page(html) == []
        seen += [line.split("<th scope=\"row\">", 1)[1].split("<", 1)[0]
                 for line in html.splitlines() if line.startswith("  <tr><th scope=\"row\">")]
        assert f"Sida {page} av {pages}" in html
        if 'rel="next"' not in html:
            break
        page += 1
    assert page == pages and len(seen) == total
    assert AuditEvent.objects.filter(action="individual_data_viewed", organization=planted_org).count() == pages


def test_individual_rows_can_be_filtered(planted_org: Any, planted_members: dict[str, Any],
                                         client_for: Any) -> None:
    """By start year, sex and whether the enrolment is ongoing; paging keeps the filters; the log
    says which filters were used; outcome codes are shown in words."""
    from jamkoll.web.lib.stores import store_for

    enrolments = store_for(planted_org).table("enrolments").query("intervention_id == 'INS02'")
    participants = store_for(planted_org).table("participants").set_index("participant_id")["sex"]
    started_2024 = enrolments[enrolments["start_date"].astype("datetime64[ns]").dt.year == 2024]
    women_2024 = started_2024[started_2024["participant_id"].map(participants) == "women"]
    ongoing = enrolments[enrolments["end_date"].isna()]
    assert 0 < len(women_2024) < len(started_2024) and 0 < len(ongoing) < len(enrolments)
    client = client_for(planted_members["analyst"])
    url = reverse("front:intervention_data", args=[planted_org.slug, "INS02"])

    def shown(params: dict[str, Any]) -> tuple[str, list[str]]:
        html = client.get(url, params).content.decode()
        assert check_page(html) == []
        return html, [line for line in html.splitlines() if line.startswith('  <tr><th scope="row">')]

    html, rows = shown({"year": 2024, "sex": "women"})
    assert f"av {len(women_2024)} visas" in html and len(rows) == min(200, len(women_2024))
    assert all("<td>kvinnor</td>" in row and "<td>2024-" in row for row in rows)
    html, rows = shown({"state": "ongoing"})
    assert f"av {len(ongoing)} visas" in html
    html, _rows = shown({})
    if 'rel="next"' in html:
        assert "sida=2" in html
    html, _rows = shown({"state": "ended"})
    assert "fortsatt_rehabilitering" not in html and "arbetssokande" not in html
    event = AuditEvent.objects.filter(action="individual_data_viewed").latest("id")
    assert event.details["filters"] == {"state": "ended"}


def test_dashboard_without_data(org: Any, members: dict[str, Any], client_for: Any) -> None:
    html = client_for(members["admin"]).get(reverse("front:dashboard", args=[org.slug])).content.decode()
    assert check_page(html) == []
    assert "inga inlästa uppgifter" in html


def test_a_failing_analysis_shows_a_notice(loaded_org: Any, members: dict[str, Any], client_for: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("boom")

    monkeypatch.setattr("jamkoll.analysis.analyze", broken)
    response = client_for(members["admin"]).get(reverse("front:dashboard", args=[loaded_org.slug]) + "?year=2024")
    assert response.status_code == 200
    assert 'id="analysis-error"' in response.content.decode()


def test_numbers_are_written_the_swedish_way() -> None:
    with translation.override("sv"):
        assert format_value(1234) == "1\xa0234"
        assert format_value(60.94, "shares") == "60,9"
        assert format_value(1800000.0, "budget") == "1\xa0800\xa0000"
        assert format_value(None) == "–"
        assert format_value(50.0, "percent") == "50,0"  # a share keeps its decimal, whole or not
        assert format_value(50.0) == "50"
    with translation.override("en"):
        assert format_value(60.94, "shares") == "60.9"


def test_a_count_tables_share_of_women_keeps_its_decimal() -> None:
    from jamkoll.analysis.disclosure import Protection
    from jamkoll.analysis.results import ResultTable

    frame = pd.DataFrame({"women": pd.array([54, 55], dtype="Int64"), "men": pd.array([54, 71], dtype="Int64"),
                          "share_women": [50.0, 43.7]}, index=pd.Index(["arbetssökande", "arbete"], name="outcome"))
    table = ResultTable("outcomes_by_sex", frame, frame.isna(), Protection("cell_key", 5), "counts", "outcome")
    with translation.override("sv"):
        cells = [[c.text for c in row.cells] for row in table_rows(table)["rows"]]
    assert cells == [["54", "54", "50,0"], ["55", "71", "43,7"]]


def test_suppressed_cells_are_marked() -> None:
    frame = pd.DataFrame({"Kvinnor": pd.array([12, pd.NA], dtype="Int64"), "Män": pd.array([3, 8], dtype="Int64")},
                         index=pd.Index(["2024", "Totalt"], name="year"))
    mask = pd.DataFrame({"Kvinnor": [False, True], "Män": [False, False]}, index=frame.index)
    table = ResultTable("t", frame, mask, Protection("suppression", 5, ".."))
    with translation.override("sv"):
        rows = table_rows(table)
    assert rows["index_names"] == ["År"]
    assert [c.text for c in rows["rows"][1].cells] == ["..", "8"]
    assert rows["rows"][1].cells[0].suppressed and rows["rows"][1].total


def test_caption_note_and_rows_are_the_reports_words() -> None:
    """The analysis' table is in codes; the page shows the reports layer's title, note and row labels."""
    frame = pd.DataFrame({"women": [21, 40], "men": [15, 44]},
                         index=pd.Index(["INS01", "total"], name="intervention"))
    table = ResultTable("participants_by_intervention", frame, frame.isna(), Protection("cell_key", 5))
    names = {"INS01": "Steg till arbete"}
    with translation.override("sv"):
        rows = table_rows(table, names)
    assert rows["caption"] == "Deltagare per insats och kön"
    assert rows["rows"][0].headers == ["INS01 Steg till arbete"] and rows["rows"][1].total
    assert rows["note"].startswith("Antalen är skyddade med cell key-metoden")
    with translation.override("en"):
        rows = table_rows(table, names)
    assert rows["caption"] == "Participants by intervention and sex"
    assert rows["rows"][1].headers == ["Total"] and "cell key" in rows["note"]


def test_table_labels_are_words_not_codes() -> None:
    frame = pd.DataFrame({"women": [21, 52], "men": [15, 70]},
                         index=pd.Index(["fortsatt_rehabilitering", "arbete"], name="outcome"))
    table = ResultTable("t", frame, None)
    with translation.override("sv"):
        rows = table_rows(table)
    assert rows["columns"] == ["Kvinnor", "Män"]
    assert [r.headers for r in rows["rows"]] == [["Fortsatt rehabilitering"], ["Arbete"]]
    with translation.override("en"):
        rows = table_rows(table)
    assert rows["columns"] == ["Women", "Men"]
    assert rows["rows"][0].headers == ["Further rehabilitation"]


def test_charts_take_the_width_of_the_page() -> None:
    """A chart reflows on a phone (WCAG 1.4.10): container width, one legend entry per line, long
    axis titles on several lines; the report's spec is not changed."""
    title = "Skillnad kvinnor − män (procentenheter)"
    spec = {"width": 480, "layer": [{"mark": "point", "encoding": {"x": {"field": "d", "title": title}}}]}
    fitted = fit_to_width(spec)
    assert fitted["width"] == "container" and fitted["autosize"]["type"] == "fit-x"
    assert fitted["config"]["legend"]["direction"] == "vertical"
    wrapped = fitted["layer"][0]["encoding"]["x"]["title"]
    assert isinstance(wrapped, list) and len(wrapped) == 2 and " ".join(wrapped) == title
    assert spec["width"] == 480 and spec["layer"][0]["encoding"]["x"]["title"] == title
    side_by_side = {"width": 200, "hconcat": [{"mark": "bar"}]}
    assert fit_to_width(side_by_side) is side_by_side


def test_decimals_use_the_minus_sign() -> None:
    from jamkoll.web.lib.templatetags.jamkoll import decimal as format_decimal

    with translation.override("sv"):
        assert format_decimal(-24.04, 1) == "\u221224,0"
        assert format_decimal(-0.01, 1) == "0,0"
        assert format_decimal(1234.5, 1) == "1\xa0234,5"
        assert format_decimal(None, 1) == "–"
