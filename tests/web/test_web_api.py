"""The REST API: token authentication, the same permissions as the pages, uploads, statistics, cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.test import Client

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.front.models import FindingCase, Submission
from jamkoll.web.front.register import update_findings
from jamkoll.web.lib.stores import store_for


def api(user: Any) -> tuple[Client, dict[str, str]]:
    _token, plain = ApiToken.issue(user, "test")
    return Client(), {"Authorization": f"Bearer {plain}"}


def test_tokens_are_required(org: Any, members: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/api/orgs").status_code == 401
    assert client.get("/api/orgs", headers={"Authorization": "Bearer jk_wrong"}).status_code == 401
    # A logged-in browser session is not an API credential.
    client.force_login(members["admin"])
    assert client.get("/api/orgs").status_code == 401
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Jämkoll API"


def test_organizations_and_interventions(loaded_org: Any, members: dict[str, Any]) -> None:
    client, auth = api(members["reporter"])
    assert client.get("/api/orgs", headers=auth).json() == [
        {"slug": loaded_org.slug, "name": "Testförbundet", "kind": "association", "role": "reporter"}]
    assert client.get(f"/api/orgs/{loaded_org.slug}/interventions", headers=auth).json() == [
        {"intervention_id": "INS01", "name": "Steg till arbete"}]
    outsider, outsider_auth = api(members["outsider"])
    assert outsider.get(f"/api/orgs/{loaded_org.slug}/interventions", headers=outsider_auth).status_code == 404


def test_upload_check_and_import(org: Any, members: dict[str, Any], good_files: list[Path], bad_file: Path) -> None:
    client, auth = api(members["analyst"])
    url = f"/api/orgs/{org.slug}/submissions"
    handles = [p.open("rb") for p in good_files]
    try:
        response = client.post(url, {"files": handles, "year": "2024", "confirm": "false"}, headers=auth)
    finally:
        for handle in handles:
            handle.close()
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["report"]["rows"]["enrolments"] == 6
    assert not store_for(org).exists()
    confirmed = client.post(f"{url}/{body['id']}/confirm", headers=auth)
    assert confirmed.status_code == 200 and confirmed.json()["versions"] == {"INS01": 1, "INS02": 1}
    assert len(store_for(org).table("enrolments")) == 6
    assert client.post(f"{url}/{body['id']}/confirm", headers=auth).status_code == 409

    before = store_for(org).database.read_bytes()
    with bad_file.open("rb") as handle:
        rejected = client.post(url, {"files": [handle]}, headers=auth)
    assert rejected.status_code == 422
    problem = rejected.json()["problems"][0]
    assert (problem["file"], problem["row"], problem["value"]) == ("inskrivningar.csv", 2, "sjukbidrag")
    assert "Okänt värde" in problem["reason"]
    assert store_for(org).database.read_bytes() == before

    listed = client.get(url, headers=auth).json()
    assert [s["status"] for s in listed] == ["rejected", "accepted"]


def test_viewers_cannot_upload_through_the_api(org: Any, members: dict[str, Any], good_files: list[Path]) -> None:
    client, auth = api(members["viewer"])
    with good_files[0].open("rb") as handle:
        response = client.post(f"/api/orgs/{org.slug}/submissions", {"files": [handle]}, headers=auth)
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_statistics_and_findings(planted_org: Any, planted_members: dict[str, Any]) -> None:
    client, auth = api(planted_members["viewer"])
    stats = client.get(f"/api/orgs/{planted_org.slug}/statistics", {"year": 2025}, headers=auth)
    assert stats.status_code == 200
    tables = stats.json()["tables"]
    assert tables["participants_by_year"]["title"] == "Deltagare per år (inskrivningsår) och kön"
    assert "suppressed" in tables["participants_by_year"]
    findings = client.get(f"/api/orgs/{planted_org.slug}/findings",
                          {"year": 2025, "status": "unjustified"}, headers=auth).json()["findings"]
    assert "participation:INS05:share_of_women" in {f["id"] for f in findings}
    assert {f["status"] for f in findings} == {"unjustified"}
    ins05 = next(f for f in findings if f["id"] == "participation:INS05:share_of_women")
    assert ins05["explanation_sv"].startswith("Kvinnor är underrepresenterade")
    assert ins05["explanation_en"].startswith("Women are under-represented")
    assert "omitted_covariates" in ins05 and "explanation" not in ins05

    reporter, reporter_auth = api(planted_members["reporter"])  # INS02
    url = f"/api/orgs/{planted_org.slug}/statistics"
    assert reporter.get(url, {"year": 2025}, headers=reporter_auth).status_code == 403
    assert reporter.get(url, {"year": 2025, "intervention": "INS05"}, headers=reporter_auth).status_code == 403
    assert reporter.get(url, {"year": 2025, "intervention": "INS02"}, headers=reporter_auth).status_code == 200


def test_cases_list_and_update(planted_org: Any, planted_members: dict[str, Any]) -> None:
    update_findings(planted_org, 2025, planted_members["analyst"])
    case = FindingCase.objects.filter(organization=planted_org).first()
    assert case is not None
    client, auth = api(planted_members["analyst"])
    listed = client.get(f"/api/orgs/{planted_org.slug}/cases", {"year": 2025}, headers=auth).json()
    assert case.pk in {c["id"] for c in listed}
    url = f"/api/orgs/{planted_org.slug}/cases/{case.pk}"
    missing = client.patch(url, {"status": "action_planned", "action_what": "Ny rutin"},
                           content_type="application/json", headers=auth)
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"action_who", "action_due"}
    due = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    ok = client.patch(url, {"status": "action_planned", "action_what": "Ny rutin", "action_who": "Chefen",
                            "action_due": due}, content_type="application/json", headers=auth)
    assert ok.status_code == 200 and ok.json()["overdue"] is True
    overdue = client.get(f"/api/orgs/{planted_org.slug}/cases", {"overdue": True}, headers=auth).json()
    assert [c["id"] for c in overdue] == [case.pk]

    viewer, viewer_auth = api(planted_members["viewer"])
    assert viewer.patch(url, {"status": "done"}, content_type="application/json",
                        headers=viewer_auth).status_code == 403
    comment = viewer.post(f"{url}/comments", {"text": "Bra"}, content_type="application/json", headers=viewer_auth)
    assert comment.status_code == 201
    case.refresh_from_db()
    assert case.status == "action_planned"
    outsider, outsider_auth = api(planted_members["outsider"])
    assert outsider.get(url, headers=outsider_auth).status_code == 404
