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
    assert tables["participants_by_year"]["title_en"] == "Participants by year and sex"
    assert tables["participants_by_year"]["protection"]["method"] in ("cell_key", "suppression", "")
    by_intervention = tables["participants_by_intervention"]
    codes = {row["intervention"] for row in by_intervention["rows"]}
    assert "INS05" in codes and by_intervention["row_labels"]["sv"]["INS05"].startswith("INS05 ")
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


def _post_csv(client: Client, auth: dict[str, str], url: str, path: Path, **fields: str) -> Any:
    with path.open("rb") as handle:
        return client.post(url, {"files": [handle], **fields}, headers=auth)


def test_upload_chooses_what_it_replaces(loaded_org: Any, members: dict[str, Any], tmp_path: Path) -> None:
    """The API has the page's choices: the replace mode, and the explicit choice to remove rows outside
    the declared years (issue 14)."""
    client, auth = api(members["analyst"])
    url = f"/api/orgs/{loaded_org.slug}/submissions"
    path = tmp_path / "inskrivningar.csv"
    path.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE7;D001;INS01;2025-05-01\n",
                    encoding="utf-8")

    def ins01() -> list[str]:
        frame = store_for(loaded_org).table("enrolments")
        return sorted(frame[frame["intervention_id"] == "INS01"]["enrolment_id"])

    # The default replaces the declared year of INS01 only: 2024 (E1, E2) stays, 2025's E4 is replaced.
    kept = _post_csv(client, auth, url, path, year="2025")
    assert kept.status_code == 201, kept.content
    assert kept.json()["replace"] == "year" and kept.json()["status"] == "accepted"
    assert ins01() == ["E1", "E2", "E7"]

    # Every year of INS01 would remove 2024's rows, outside the declared year: refused without the choice.
    version = store_for(loaded_org).current_version()
    refused = _post_csv(client, auth, url, path, year="2025", replace="intervention")
    assert refused.status_code == 409, refused.content
    body = refused.json()
    assert body["status"] == "pending" and body["replace"] == "intervention" and body["detail"]
    assert store_for(loaded_org).current_version() == version and ins01() == ["E1", "E2", "E7"]
    confirm_url = f"{url}/{body['id']}/confirm"
    assert client.post(confirm_url, headers=auth).status_code == 409
    confirmed = client.post(confirm_url, {"allow_removal_outside": "true"}, headers=auth)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "accepted"
    assert ins01() == ["E7"]
    other = store_for(loaded_org).table("enrolments")
    assert sorted(other[other["intervention_id"] == "INS02"]["enrolment_id"]) == ["E3", "E5", "E6"]

    # In one call, with the choice given up front.
    path.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE8;D002;INS01;2024-05-01\n",
                    encoding="utf-8")
    at_once = _post_csv(client, auth, url, path, year="2024", replace="intervention", allow_removal_outside="true")
    assert at_once.status_code == 201 and at_once.json()["status"] == "accepted"
    assert ins01() == ["E8"]


def test_replace_mode_is_checked(loaded_org: Any, members: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE7;D001;INS01;2025-05-01\n",
                    encoding="utf-8")
    url = f"/api/orgs/{loaded_org.slug}/submissions"
    client, auth = api(members["analyst"])
    assert _post_csv(client, auth, url, path, replace="everything").status_code == 422
    reporter, reporter_auth = api(members["reporter"])  # INS01 only: may not replace the whole store
    refused = _post_csv(reporter, reporter_auth, url, path, replace="all")
    assert refused.status_code == 400 and "hela databasen" in refused.json()["detail"]
    assert not Submission.objects.filter(replace="all").exists()
