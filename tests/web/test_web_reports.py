"""Reports: choose year and intervention, generate, download; every download is logged."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jamkoll.web.lib.models import AuditEvent

from .html_checks import check_page


def test_report_page(planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    html = client_for(planted_members["viewer"]).get(reverse("front:reports", args=[planted_org.slug])).content.decode()
    assert check_page(html) == []
    assert "<option value=\"\" selected>Hela organisationen</option>" in html
    reporter = client_for(planted_members["reporter"]).get(reverse("front:reports", args=[planted_org.slug]))
    page = reporter.content.decode()
    assert "Hela organisationen" not in page and 'value="INS02"' in page and 'value="INS05"' not in page


def test_download_an_intervention_report(planted_org: Any, planted_members: dict[str, Any],
                                         client_for: Any) -> None:
    client = client_for(planted_members["reporter"])
    url = reverse("front:report_download", args=[planted_org.slug])
    response = client.get(url, {"year": "2025", "intervention": "INS02", "format": "html"})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"] == 'attachment; filename="jamkoll-planterat-2025-INS02.html"'
    assert "Hälsolotsen" in response.content.decode()
    event = AuditEvent.objects.get(action="report_downloaded")
    assert event.details["intervention"] == "INS02" and event.user == planted_members["reporter"]
    # Another intervention, or the whole organisation, is not the reporter's.
    assert client.get(url, {"year": "2025", "intervention": "INS05", "format": "html"}).status_code == 400
    assert client.get(url, {"year": "2025", "format": "html"}).status_code == 400
    assert AuditEvent.objects.filter(action="report_downloaded").count() == 1


def test_report_needs_data(org: Any, members: dict[str, Any], client_for: Any) -> None:
    response = client_for(members["analyst"]).get(reverse("front:report_download", args=[org.slug]),
                                                  {"format": "html"})
    assert response.status_code == 404
