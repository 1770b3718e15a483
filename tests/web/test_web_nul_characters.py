"""A NUL character in a form or JSON body is refused with 400 (PostgreSQL cannot store one: a server
error there, found by schemathesis on the funding API), and files are not affected."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken


def test_json_with_a_nul_character_is_refused_not_a_server_error(org: Any, members: dict[str, Any]) -> None:
    _token, plain = ApiToken.issue(members["admin"], "test")
    body = json.dumps({"title": "Projekt\u0000", "intervention_id": None})
    response = Client().post(f"/api/funding/orgs/{org.slug}/applications", body, content_type="application/json",
                             headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    clean = Client().post(f"/api/funding/orgs/{org.slug}/applications", json.dumps({"title": "Projekt"}),
                          content_type="application/json", headers={"Authorization": f"Bearer {plain}"})
    assert clean.status_code != 400 or "NUL" not in clean.content.decode()


def test_a_form_with_a_nul_character_is_refused(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["admin"])
    response = client.post(reverse("front:plans:plans", kwargs={"slug": org.slug}),
                           "title=Plan%00&start_year=2025&end_year=2030",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "NUL" in response.content.decode()
