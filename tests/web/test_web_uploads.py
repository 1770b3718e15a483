"""Uploads: check first, show the import report or every problem, store only on confirmation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from jamkoll.web.accounts.models import Intervention
from jamkoll.web.front.models import Submission, SubmissionVersion
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.stores import staging_root, store_for

from .conftest import uploaded
from .html_checks import check_page


def upload(client: Any, org: Any, paths: list[Path], **data: Any) -> Any:
    return client.post(reverse("front:uploads", args=[org.slug]), {"files": uploaded(paths), **data})


def enrolment_count(org: Any) -> int:
    store = store_for(org)
    return len(store.table("enrolments")) if store.exists() else 0


def test_good_files_show_the_import_report_before_anything_is_stored(
        org: Any, members: dict[str, Any], good_files: list[Path], client_for: Any) -> None:
    client = client_for(members["analyst"])
    response = upload(client, org, good_files, year="2024", note="Första leveransen")
    submission = Submission.objects.get(organization=org)
    assert response.status_code == 302 and response.url == reverse("front:upload", args=[org.slug, submission.pk])
    assert submission.status == "pending"
    assert not store_for(org).exists(), "a check must not store anything"
    assert submission.year == 2024 and submission.file_names == [p.name for p in good_files]
    assert all(len(f["sha256"]) == 64 for f in submission.files)

    page = client.get(response.url)
    html = page.content.decode()
    assert check_page(html) == []
    assert "Detta skulle läsas in" in html
    assert "<th scope=\"row\">inskrivningar</th><td class=\"num\">6</td>" in html
    assert "<th scope=\"row\">kvinnor</th><td class=\"num\">2</td>" in html
    assert 'id="confirm-form"' in html

    confirmed = client.post(reverse("front:upload_confirm", args=[org.slug, submission.pk]))
    assert confirmed.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.decided is not None
    assert enrolment_count(org) == 6
    assert dict(Intervention.objects.filter(organization=org).values_list("intervention_id", "name")) == {
        "INS01": "Steg till arbete", "INS02": "Hälsolotsen"}
    assert sorted(SubmissionVersion.objects.values_list("intervention__intervention_id", "version")) == [
        ("INS01", 1), ("INS02", 1)]
    assert submission.staging == "" and not any(staging_root(org).glob("*/*"))
    actions = list(AuditEvent.objects.filter(organization=org).values_list("action", flat=True))
    assert {"upload_checked", "upload_accepted"} <= set(actions)
    assert "Uppgifterna är inlästa." in client.get(confirmed.url).content.decode()


def test_a_rejected_upload_stores_nothing_and_lists_row_and_column_in_swedish(
        loaded_org: Any, members: dict[str, Any], bad_file: Path, client_for: Any) -> None:
    before = store_for(loaded_org).database.read_bytes()
    client = client_for(members["analyst"])
    response = upload(client, loaded_org, [bad_file])
    submission = Submission.objects.filter(organization=loaded_org).first()
    assert submission is not None and submission.status == "rejected"
    assert submission.problem_count == 1
    assert store_for(loaded_org).database.read_bytes() == before
    assert not any(staging_root(loaded_org).glob("*/*")), "the rejected files are deleted"
    html = client.get(response.url).content.decode()
    assert check_page(html) == []
    assert "Ingenting har sparats" in html
    assert '<td class="num">2</td>' in html  # the row as the user sees it in Excel
    assert "income_support_at_start (försörjning_vid_start)" in html
    assert "Okänt värde. Tillåtna värden" in html
    assert "<code>sjukbidrag</code>" in html
    assert 'id="confirm-form"' not in html
    assert AuditEvent.objects.filter(action="upload_rejected", organization=loaded_org).exists()


def test_each_accepted_upload_is_a_new_version_per_intervention(
        loaded_org: Any, members: dict[str, Any], tmp_path: Path, client_for: Any) -> None:
    later = tmp_path / "inskrivningar.csv"
    later.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE9;D001;INS02;2025-05-01\n",
                     encoding="utf-8")
    client = client_for(members["admin"])
    response = upload(client, loaded_org, [later])
    submission = Submission.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.interventions == ["INS02"]
    client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]))
    versions = dict(SubmissionVersion.objects.filter(submission=submission)
                    .values_list("intervention__intervention_id", "version"))
    assert versions == {"INS02": 2}
    page = client.get(reverse("front:intervention", args=[loaded_org.slug, "INS02"])).content.decode()
    assert 'id="versions"' in page


def test_reporters_upload_only_for_their_interventions(
        loaded_org: Any, members: dict[str, Any], good_files: list[Path], tmp_path: Path, client_for: Any) -> None:
    client = client_for(members["reporter"])  # assigned INS01
    before = enrolment_count(loaded_org)
    response = upload(client, loaded_org, good_files)
    submission = Submission.objects.filter(uploaded_by=members["reporter"]).get()
    assert submission.status == "rejected"
    html = client.get(response.url).content.decode()
    assert "Du är inte tilldelad insats INS02" in html
    assert enrolment_count(loaded_org) == before

    own = tmp_path / "inskrivningar.csv"
    own.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE7;D002;INS01;2025-04-01\n",
                   encoding="utf-8")
    response = upload(client, loaded_org, [own])
    pending = Submission.objects.filter(uploaded_by=members["reporter"], status="pending").get()
    client.post(reverse("front:upload_confirm", args=[loaded_org.slug, pending.pk]))
    pending.refresh_from_db()
    assert pending.status == "accepted"
    # The reporter sees their own uploads only.
    listing = client.get(reverse("front:uploads", args=[loaded_org.slug])).content.decode()
    admins = Submission.objects.filter(uploaded_by=members["admin"]).get()
    assert f">#{pending.pk}<" in listing and f">#{admins.pk}<" not in listing


def test_cancel_deletes_the_staged_files(org: Any, members: dict[str, Any], good_files: list[Path],
                                         client_for: Any) -> None:
    client = client_for(members["analyst"])
    upload(client, org, good_files)
    submission = Submission.objects.get(organization=org)
    assert any(staging_root(org).glob("*/*"))
    response = client.post(reverse("front:upload_cancel", args=[org.slug, submission.pk]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "cancelled"
    assert not any(staging_root(org).glob("*/*"))
    assert not store_for(org).exists()
    # A second decision is refused, and nothing is imported.
    client.post(reverse("front:upload_confirm", args=[org.slug, submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "cancelled" and not store_for(org).exists()


def test_a_staged_file_changed_before_confirmation_is_rejected(
        org: Any, members: dict[str, Any], good_files: list[Path], client_for: Any) -> None:
    client = client_for(members["admin"])
    upload(client, org, good_files)
    submission = Submission.objects.get(organization=org)
    staged = next(staging_root(org).glob("*/0/*"))
    staged.write_bytes(staged.read_bytes() + b"\n")
    client.post(reverse("front:upload_confirm", args=[org.slug, submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert "ändrats sedan kontrollen" in submission.problems[0]["reason"]
    assert not store_for(org).exists()


def test_upload_form_errors_are_tied_to_the_field(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["analyst"])
    response = client.post(reverse("front:uploads", args=[org.slug]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert check_page(html) == []
    assert 'aria-invalid="true"' in html and 'id="id_files_error"' in html
    assert "Formuläret innehåller fel" in html


def test_uploads_over_the_size_limit_are_refused(org: Any, members: dict[str, Any], good_files: list[Path],
                                                 client_for: Any, settings: Any) -> None:
    settings.JAMKOLL_MAX_UPLOAD_BYTES = 100
    response = upload(client_for(members["analyst"]), org, good_files)
    assert response.status_code == 400
    assert "för stora" in response.content.decode()
    assert not Submission.objects.exists()


def test_viewers_cannot_upload(org: Any, members: dict[str, Any], good_files: list[Path], client_for: Any) -> None:
    client = client_for(members["viewer"])
    assert client.get(reverse("front:uploads", args=[org.slug])).status_code == 403
    assert upload(client, org, good_files).status_code == 403
    assert not Submission.objects.exists()
