"""A confirmed upload is imported by a background task: the page shows its progress, then the result."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from jamkoll.web.front.models import Submission
from jamkoll.web.lib.stores import store_for

from .conftest import uploaded
from .html_checks import check_page


@pytest.fixture
def queued(settings: Any, transactional_db: None) -> None:
    """The database backend, as `jamkoll serve` runs it (its worker is run by the test). Transactional:
    the worker closes its database connection when done, as a real worker does, which on PostgreSQL
    would end a test wrapped in one transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_confirming_queues_the_import_and_the_page_follows_it(
        queued: None, loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    client = client_for(members["analyst"])
    path = tmp_path / "inskrivningar.csv"
    path.write_text(textwrap.dedent("""\
        inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum
        E5;D005;INS02;2025-02-01
    """), encoding="utf-8")
    client.post(reverse("front:uploads", args=[loaded_org.slug]), {"files": uploaded([path])})
    submission = Submission.objects.filter(organization=loaded_org).latest("id")
    page_url = reverse("front:upload", args=[loaded_org.slug, submission.pk])
    progress_url = reverse("front:upload_progress", args=[loaded_org.slug, submission.pk])

    response = client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "pending" and submission.task_id, "queued, not run in the request"
    assert store_for(loaded_org).current_version() == 1
    html = client.get(page_url).content.decode()
    assert check_page(html) == []
    assert 'id="upload-progress"' in html and f'hx-get="{progress_url}"' in html
    assert "vendor/htmx.min.js" in html
    assert 'id="confirm-form"' not in html, "no second confirmation while the import runs"
    fragment = client.get(progress_url)
    assert fragment.status_code == 200 and "HX-Redirect" not in fragment
    assert "Inläsningen väntar på sin tur" in fragment.content.decode()
    again = client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]), follow=True)
    assert "Uppladdningen läses redan in." in again.content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.store_version == 2
    done = client.get(progress_url)
    assert done["HX-Redirect"] == page_url
    html = client.get(page_url).content.decode()
    assert "Uppgifterna är inlästa." in html and 'id="upload-progress"' not in html
    assert sorted(store_for(loaded_org).table("enrolments")["enrolment_id"]) == ["E1", "E2", "E3", "E4", "E5"]
    # The worker also computed the new version's analyses (all years, and each year) for the pages.
    from django_tasks_db.models import DBTaskResult

    from jamkoll.web.front.analysis import cache_dir

    # Every accepted import queues it (the fixture's first import too): the latest is this one's.
    warmed = DBTaskResult.objects.filter(task_path="jamkoll.web.front.tasks.compute_analyses").order_by(
        "enqueued_at").last()
    assert warmed is not None
    assert warmed.status == "SUCCESSFUL" and warmed.return_value["years"][0] is None
    # One kept analysis per year and all years, and one per intervention for the latest year.
    assert len(list(cache_dir(loaded_org).glob("*.pickle"))) == len(warmed.return_value["years"]) + 2


def test_a_queued_import_that_needs_a_choice_says_so(
        queued: None, loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    client = client_for(members["analyst"])
    path = tmp_path / "inskrivningar.csv"
    path.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE8;D001;INS02;2024-11-01\n",
                    encoding="utf-8")
    client.post(reverse("front:uploads", args=[loaded_org.slug]), {"files": uploaded([path]), "year": "2025"})
    submission = Submission.objects.filter(organization=loaded_org).latest("id")
    client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]))
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    submission.refresh_from_db()
    assert submission.status == "pending" and store_for(loaded_org).current_version() == 1
    client.get(reverse("front:upload_progress", args=[loaded_org.slug, submission.pk]))
    html = client.get(reverse("front:upload", args=[loaded_org.slug, submission.pk])).content.decode()
    assert "Bekräfta uttryckligen" in html and 'id="allow-removal"' in html


def test_a_findings_update_runs_in_the_background_and_the_page_follows_it(
        queued: None, planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    from jamkoll.web.front.models import FindingCase

    client = client_for(planted_members["analyst"])
    findings = reverse("front:findings", args=[planted_org.slug])
    progress = reverse("front:findings_progress", args=[planted_org.slug])
    response = client.post(reverse("front:findings_update", args=[planted_org.slug]), {"update-year": "2024"})
    assert response.status_code == 302 and response.url == f"{findings}?year=2024"
    assert not FindingCase.objects.filter(organization=planted_org).exists(), "queued, not run in the request"
    html = client.get(response.url).content.decode()
    assert check_page(html) == []
    assert "Fynden för 2024 uppdateras." in html
    assert 'id="task-progress"' in html and f'hx-get="{progress}"' in html
    assert "HX-Redirect" not in client.get(progress)

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert FindingCase.objects.filter(organization=planted_org, year=2024).exists()
    done = client.get(progress)
    assert done["HX-Redirect"] == f"{findings}?year=2024"
    html = client.get(done["HX-Redirect"]).content.decode()
    assert "Analysen för 2024 gav" in html and 'id="task-progress"' not in html


def test_a_report_is_written_in_the_background_and_becomes_a_download_link(
        queued: None, planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    from jamkoll.web.lib.models import AuditEvent

    client = client_for(planted_members["analyst"])
    reports = reverse("front:reports", args=[planted_org.slug])
    progress = reverse("front:report_progress", args=[planted_org.slug])
    file_url = reverse("front:report_file", args=[planted_org.slug])
    response = client.get(reverse("front:report_download", args=[planted_org.slug]),
                          {"year": "2025", "intervention": "", "format": "xlsx"})
    assert response.status_code == 302 and response.url == reverse("front:reports", args=[planted_org.slug])
    html = client.get(reports).content.decode()
    assert check_page(html) == []
    assert 'id="task-progress"' in html and f'hx-get="{progress}"' in html and 'id="report-ready"' not in html
    assert client.get(file_url).status_code == 302, "nothing to download yet"

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert client.get(progress)["HX-Redirect"] == reports
    html = client.get(reports).content.decode()
    assert 'id="report-ready"' in html and f'href="{file_url}"' in html
    other = client_for(planted_members["admin"])
    assert other.get(file_url).status_code == 302, "the report is the requesting session's"
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="jamkoll-{planted_org.slug}-2025.xlsx"'
    assert download.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="report_downloaded", organization=planted_org).count() == 1
    assert client.get(file_url).status_code == 302, "sent once, then deleted"
