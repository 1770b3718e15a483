"""The findings register as a work list (front.register_views): plain titles, filters, search, paging, and the
download through the publication gate, written to the audit log."""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from jamkoll.reports.register import COLUMNS
from jamkoll.web.accounts.models import Intervention
from jamkoll.web.front.models import FindingCase
from jamkoll.web.front.register import update_findings
from jamkoll.web.lib.models import AuditEvent

from .html_checks import check_page


@pytest.fixture
def register(planted_org: Any, planted_members: dict[str, Any]) -> list[FindingCase]:
    update_findings(planted_org, 2025, planted_members["analyst"])
    update_findings(planted_org, 2024, planted_members["analyst"])
    return list(FindingCase.objects.filter(organization=planted_org))


def _listing(client: Any, org: Any, query: str = "") -> str:
    response = client.get(reverse("front:findings", args=[org.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _shown(html: str, cases: list[FindingCase]) -> set[int]:
    return {c.pk for c in cases if f'id="case-{c.pk}"' in html}


def test_the_list_shows_plain_titles_names_status_and_no_machine_ids(
        planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase], client_for: Any) -> None:
    html = _listing(client_for(planted_members["viewer"]), planted_org)
    assert check_page(html) == []
    ins05 = Intervention.objects.get(organization=planted_org, intervention_id="INS05")
    assert ins05.name and f"<dd>{ins05.name}</dd>" in html
    assert f"Kvinnor är underrepresenterade i {ins05.name}" in html
    for case in register:
        assert f">{case.finding_id}<" not in html  # the id is never the headline
        assert case.get_status_display() in html
    assert "share_of_women" not in html and "component:all:" not in html
    # The first sentence is shown whole: never cut in the middle of an interval.
    assert "till …" not in html and "KI" in html
    # A list of cards (readable at 390 px), not a table whose columns scroll out of sight.
    assert '<ol class="case-list" id="cases"' in html and "<table" not in html.split('id="cases"')[1]


def test_filters_narrow_the_list(planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase],
                                 client_for: Any) -> None:
    client = client_for(planted_members["analyst"])
    everything = _shown(_listing(client, planted_org), register)
    assert everything == {c.pk for c in register}
    by_year = _shown(_listing(client, planted_org, "?year=2024"), register)
    assert by_year == {c.pk for c in register if c.year == 2024} and 0 < len(by_year) < len(everything)
    ins05 = _shown(_listing(client, planted_org, "?intervention=INS05"), register)
    assert ins05 == {c.pk for c in register if c.intervention and c.intervention.intervention_id == "INS05"}
    whole = _shown(_listing(client, planted_org, "?intervention=-"), register)
    assert whole == {c.pk for c in register if c.intervention is None}
    participation = _shown(_listing(client, planted_org, "?dimension=participation&year=2025"), register)
    assert participation == {c.pk for c in register if c.dimension == "participation" and c.year == 2025}
    assert participation
    justified = register[0]
    justified.status = "justified"
    justified.save()
    assert _shown(_listing(client, planted_org, "?status=justified"), register) == {justified.pk}
    assert justified.pk not in _shown(_listing(client, planted_org, "?status=open"), register)


def test_search_finds_words_of_the_title_and_the_intervention_name(
        planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase], client_for: Any) -> None:
    client = client_for(planted_members["analyst"])
    under = {c.pk for c in register if c.title.startswith("Kvinnor är underrepresenterade")}
    assert under
    assert _shown(_listing(client, planted_org, "?q=UNDERrepresenterade"), register) == under
    name = Intervention.objects.get(organization=planted_org, intervention_id="INS05").name
    assert _shown(_listing(client, planted_org, f"?q={name.split()[0]}"), register) == {
        c.pk for c in register if c.intervention and c.intervention.intervention_id == "INS05"}
    nothing = _listing(client, planted_org, "?q=finnsinteialls")
    assert _shown(nothing, register) == set() and "Inga fynd att visa." in nothing


def test_paging_keeps_the_filters(planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase],
                                  client_for: Any) -> None:
    template = next(c for c in register if c.year == 2025)
    for i in range(30):
        FindingCase.objects.create(
            organization=planted_org, finding_id=f"component:all:kopia{i}", year=2023, dimension="component",
            category=f"kopia{i}", explanation="x", finding={**copy.deepcopy(template.finding), "category": f"kopia{i}"})
    copies = list(FindingCase.objects.filter(organization=planted_org, year=2023))
    client = client_for(planted_members["analyst"])
    first = _listing(client, planted_org, "?year=2023")
    assert "Sida 1 av 2" in first and 'rel="next"' in first and "year=2023&amp;sida=2" in first
    second = _listing(client, planted_org, "?year=2023&sida=2")
    shown_first, shown_second = _shown(first, copies), _shown(second, copies)
    assert len(shown_first) == 25 and len(shown_second) == 5 and not shown_first & shown_second
    assert 'rel="prev"' in second and "30 fynd" in second


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_export_holds_published_figures_only_and_is_audited(
        planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase], client_for: Any) -> None:
    # A case whose stored finding has a group of 3 women (as if written before the gate, or altered).
    small = copy.deepcopy(register[0].finding)
    small.update(n_women=3, n_men=41)
    FindingCase.objects.create(organization=planted_org, finding_id="component:all:liten", year=2022,
                               dimension=small["dimension"], category=small["category"], explanation="x",
                               finding=small)
    client = client_for(planted_members["analyst"])
    response = client.get(reverse("front:findings_export", args=[planted_org.slug, "csv"]) + "?year=2022")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, *rows = _csv_rows(response.content)
    assert tuple(header) == COLUMNS["sv"] and len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Kvinnor (antal)"] == ".." and row["Män (antal)"] == "41"
    # Beside a withheld group every statistic is withheld too.
    assert row["Kvinnor"] == row["Skillnad"] == row["95 % KI från"] == ".."
    assert "3" not in row["Beskrivning"].split()

    event = AuditEvent.objects.filter(action="findings_exported", organization=planted_org).latest("at")
    assert event.user == planted_members["analyst"]
    assert event.details["format"] == "csv" and event.details["rows"] == 1
    assert event.details["filters"] == {"year": "2022"}

    # The whole register as a workbook: no count of 1 to 4 anywhere, figures as numbers at printed precision.
    book = client.get(reverse("front:findings_export", args=[planted_org.slug, "xlsx"]))
    assert book.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS["sv"] and len(values) == len(register) + 2
    counts = [v for r in values[1:] for v in r[7:9]]
    assert all(v == ".." or (isinstance(v, int) and not 1 <= v <= 4) for v in counts)
    differences = [r[13] for r in values[1:] if isinstance(r[13], float)]
    assert differences and all(round(d, 1) == d for d in differences)
    assert not any(str(r[0]).startswith(("component:", "participation:", "outcome:", "resource:"))
                   for r in values[1:])
    assert AuditEvent.objects.filter(action="findings_exported", organization=planted_org).count() == 2


def test_export_cells_are_inert_and_follow_the_reader_s_filters(
        planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase], client_for: Any) -> None:
    case = register[0]
    case.status, case.action_what = "action_planned", '=HYPERLINK("http://example.org","Klicka")'
    case.action_who, case.action_due = "Chefen", case.created.date()
    case.save()
    client = client_for(planted_members["analyst"])
    header, *rows = _csv_rows(client.get(reverse("front:findings_export", args=[planted_org.slug, "csv"])
                                         + "?status=action_planned").content)
    assert len(rows) == 1
    assert dict(zip(header, rows[0], strict=True))["Åtgärder"].startswith("'=HYPERLINK")
    book = client.get(reverse("front:findings_export", args=[planted_org.slug, "xlsx"]) + "?status=action_planned")
    cell = openpyxl.load_workbook(io.BytesIO(book.content)).active.cell(2, 7)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert client.get(reverse("front:findings_export", args=[planted_org.slug, "pdf"])).status_code == 404


def test_reporters_export_only_their_interventions(
        planted_org: Any, planted_members: dict[str, Any], register: list[FindingCase], client_for: Any) -> None:
    ins02 = Intervention.objects.get(organization=planted_org, intervention_id="INS02")
    finding = {**copy.deepcopy(register[0].finding), "intervention": "INS02", "id": "component:INS02:x"}
    register.append(FindingCase.objects.create(
        organization=planted_org, finding_id="component:INS02:x", year=2025, intervention=ins02,
        dimension=finding["dimension"], category=finding["category"], explanation="x", finding=finding))
    client = client_for(planted_members["reporter"])  # INS02
    header, *rows = _csv_rows(client.get(reverse("front:findings_export", args=[planted_org.slug, "csv"])).content)
    expected = [c for c in register if c.intervention and c.intervention.intervention_id == "INS02"]
    assert expected and len(rows) == len(expected) < len(register)
    name = Intervention.objects.get(organization=planted_org, intervention_id="INS02").name
    assert all(dict(zip(header, r, strict=True))["Insats"] == name for r in rows)
    outsider = client_for(planted_members["outsider"])
    assert outsider.get(reverse("front:findings_export", args=[planted_org.slug, "csv"])).status_code == 404
