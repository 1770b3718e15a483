"""Uploads with a declared scope, the check page's removals, the store's versions page and rollback."""

from __future__ import annotations

import os
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from jamkoll.web.front.analysis import available_years
from jamkoll.web.front.models import Submission
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.stores import staging_root, store_for

from .conftest import uploaded
from .html_checks import check_page

HEADER = "inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum;timmar\n"


def enrolment_file(folder: Path, rows: str) -> Path:
    path = folder / "inskrivningar-2025.csv"
    path.write_text(HEADER + textwrap.dedent(rows).strip() + "\n", encoding="utf-8")
    return path


def upload(client: Any, org: Any, paths: list[Path], **data: Any) -> Any:
    return client.post(reverse("front:uploads", args=[org.slug]), {"files": uploaded(paths), **data})


def ids(org: Any) -> list[str]:
    return sorted(store_for(org).table("enrolments")["enrolment_id"])


def test_a_reporters_upload_of_one_year_keeps_every_other_year(
        loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    client = client_for(members["reporter"])  # assigned INS01 (E1, E2 in 2024; E4 in 2025)
    response = upload(client, loaded_org, [enrolment_file(tmp_path, "E4;D004;INS01;2025-01-10;20")], year="2025")
    submission = Submission.objects.get(organization=loaded_org, uploaded_by=members["reporter"])
    assert submission.status == "pending", submission.problems
    html = client.get(response.url).content.decode()
    assert check_page(html) == []
    assert "Inga tidigare inskrivningar tas bort." in html
    assert 'id="allow-removal"' not in html
    client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.store_version == 2
    assert ids(loaded_org) == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert store_for(loaded_org).table("enrolments").set_index("enrolment_id").at["E4", "hours"] == 20
    event = AuditEvent.objects.get(organization=loaded_org, action="upload_accepted", object_id=str(submission.pk))
    assert event.details["store_version"] == 2 and event.details["removed"] == []
    assert event.username == members["reporter"].username


def test_the_check_page_lists_removals_and_outside_ones_need_a_tick(
        loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    client = client_for(members["analyst"])
    # Declared 2025; the file's 2024 row replaces INS02's 2024, where E3 would be removed.
    path = enrolment_file(tmp_path, """
        E5;D005;INS02;2025-02-01;25
        E8;D001;INS02;2024-11-01;2
    """)
    response = upload(client, loaded_org, [path], year="2025")
    submission = Submission.objects.filter(organization=loaded_org).latest("id")
    html = client.get(response.url).content.decode()
    assert check_page(html) == []
    assert "Tar bort 1 inskrivning från INS02 2024</strong> – utanför de angivna åren" in html
    assert "Tar bort 1 inskrivning från INS02 2025</strong></li>" in html  # E6, within 2025
    assert 'id="allow-removal"' in html
    assert "<th scope=\"row\">INS02</th><td>2024</td><td class=\"num\">1</td><td class=\"num\">0</td>" \
           "<td class=\"num\"><strong>1</strong></td>" in html

    before = store_for(loaded_org).database.read_bytes()
    refused = client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]), follow=True)
    assert "Bekräfta uttryckligen" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert store_for(loaded_org).current_version() == 1 and store_for(loaded_org).database.read_bytes() == before

    client.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]), {"allow_removal": "1"})
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.store_version == 2
    assert ids(loaded_org) == ["E1", "E2", "E4", "E5", "E8"]
    event = AuditEvent.objects.get(organization=loaded_org, action="upload_accepted", object_id=str(submission.pk))
    assert {"table": "enrolments", "intervention": "INS02", "years": [2024], "count": 1, "outside": True} \
        in event.details["removed"]


def test_a_reporter_cannot_replace_the_whole_store(
        loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    client = client_for(members["reporter"])
    response = upload(client, loaded_org, [enrolment_file(tmp_path, "E4;D004;INS01;2025-01-10;20")],
                      replace="all")
    assert response.status_code == 400
    assert "Bara administratörer och analytiker" in response.content.decode()
    assert not Submission.objects.filter(uploaded_by=members["reporter"]).exists()


def test_the_versions_page_compares_and_rolls_back(
        loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    analyst = client_for(members["analyst"])
    upload(analyst, loaded_org, [enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;25")])
    submission = Submission.objects.filter(organization=loaded_org).latest("id")
    analyst.post(reverse("front:upload_confirm", args=[loaded_org.slug, submission.pk]))
    assert ids(loaded_org) == ["E1", "E2", "E3", "E4", "E5"]

    url = reverse("front:versions", args=[loaded_org.slug])
    html = analyst.get(url).content.decode()
    assert check_page(html) == []
    assert 'id="version-2"' in html and 'id="version-1"' in html and 'id="rollback-1"' in html
    assert f"Uppladdning #{submission.pk}" in html
    # The default comparison: the previous version against the current one; E6 removed in 2025.
    assert "<th scope=\"row\">INS02</th><td>2025</td><td class=\"num\">0</td><td class=\"num\">1</td>" \
           "<td class=\"num\">1</td>" in html
    for role in ("reporter", "viewer"):
        client = client_for(members[role])
        assert client.get(url).status_code == 403
        assert client.post(reverse("front:version_rollback", args=[loaded_org.slug, 1])).status_code == 403
    assert store_for(loaded_org).current_version() == 2

    back = analyst.post(reverse("front:version_rollback", args=[loaded_org.slug, 1]), follow=True)
    assert "Version 1 är återställd som version 3." in back.content.decode()
    assert store_for(loaded_org).current_version() == 3
    assert ids(loaded_org) == ["E1", "E2", "E3", "E4", "E5", "E6"]
    event = AuditEvent.objects.get(organization=loaded_org, action="store_rolled_back")
    assert event.details == {"restored": 1, "replaced": 2, "new_version": 3}
    compared = analyst.get(url, {"fran": "1", "till": "3"}).content.decode()
    assert 'id="identical"' in compared


def test_a_confirmed_upload_and_a_reader_at_the_same_time_both_succeed(
        loaded_org: Any, members: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jamkoll.ingest import scope
    from jamkoll.web.front.uploads import confirm_submission, stage_upload

    applying, read = threading.Event(), threading.Event()
    seen: list[Any] = []
    original = scope.apply_changes

    def slow_apply(*args: Any, **kwargs: Any) -> int:
        applying.set()
        assert read.wait(60)
        return original(*args, **kwargs)

    def reader() -> None:
        try:
            assert applying.wait(60)
            seen.append((available_years(loaded_org), ids(loaded_org)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            seen.append(exc)
        finally:
            read.set()

    monkeypatch.setattr(scope, "apply_changes", slow_apply)
    submission = stage_upload(loaded_org, members["admin"],
                              uploaded([enrolment_file(tmp_path, "E9;D001;INS02;2026-01-10;1")]))
    thread = threading.Thread(target=reader)
    thread.start()
    confirm_submission(submission, members["admin"])
    thread.join()
    assert seen == [([2025, 2024], ["E1", "E2", "E3", "E4", "E5", "E6"])]
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert available_years(loaded_org) == [2026, 2025, 2024]


def test_staged_files_are_removed_and_audited_after_an_error(
        loaded_org: Any, members: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jamkoll.web.front import uploads

    path = enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;25")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("reader crashed")

    with monkeypatch.context() as patch:
        patch.setattr(uploads, "plan_files", broken)
        with pytest.raises(RuntimeError):
            uploads.stage_upload(loaded_org, members["admin"], uploaded([path]))
    assert not any(staging_root(loaded_org).glob("*/*"))
    failed = AuditEvent.objects.filter(organization=loaded_org, action="upload_rejected").latest("id")
    assert failed.details["at"] == "check" and failed.details["error"] == "RuntimeError"

    submission = uploads.stage_upload(loaded_org, members["admin"], uploaded([path]))
    assert any(staging_root(loaded_org).glob("*/*"))
    with monkeypatch.context() as patch:
        patch.setattr(uploads, "import_files", broken)
        uploads.confirm_submission(submission, members["admin"])
    submission.refresh_from_db()
    assert submission.status == "rejected" and "oväntat fel" in submission.problems[0]["reason"]
    assert submission.staging == "" and not any(staging_root(loaded_org).glob("*/*"))
    assert store_for(loaded_org).current_version() == 1
    failed = AuditEvent.objects.filter(organization=loaded_org, action="upload_rejected").latest("id")
    assert failed.details["at"] == "confirm" and failed.object_id == str(submission.pk)


def test_the_sweep_removes_orphaned_staging_folders(loaded_org: Any, members: dict[str, Any]) -> None:
    from jamkoll.web.front.uploads import ORPHAN_SECONDS, sweep_staging

    orphan = staging_root(loaded_org) / "deadbeef"
    (orphan / "0").mkdir(parents=True)
    (orphan / "0" / "left.csv").write_text("x", encoding="utf-8")
    fresh = staging_root(loaded_org) / "cafe"
    fresh.mkdir()
    old = orphan.stat().st_mtime - ORPHAN_SECONDS - 10
    os.utime(orphan, (old, old))
    assert sweep_staging() >= 1
    assert not orphan.exists() and fresh.exists(), "a folder of an upload in progress is left alone"


def test_the_sweep_command_removes_expired_uploads(
        loaded_org: Any, members: dict[str, Any], tmp_path: Path) -> None:
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from jamkoll.web.front.uploads import stage_upload

    submission = stage_upload(loaded_org, members["admin"],
                              uploaded([enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;25")]))
    Submission.objects.filter(pk=submission.pk).update(created=timezone.now() - dt.timedelta(hours=30))
    call_command("sweep_uploads")
    submission.refresh_from_db()
    assert submission.status == "cancelled" and not any(staging_root(loaded_org).glob("*/*"))
    assert AuditEvent.objects.filter(action="upload_cancelled", object_id=str(submission.pk)).exists()
