"""Background work as a user sees it in the browser (issue 14): an upload, a findings update and a
report each return at once, show their progress while the task waits and runs, and finish on their
own, with the database task backend that `jamkoll serve` uses and a real worker (django-tasks-db's
``Worker``) in a thread of the test.

The worker is started only after the page has shown the progress: so the test sees that no request
waited for the work (the task was still queued when the page answered), without timing anything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from .browser import Visit

pytestmark = pytest.mark.browser


@pytest.fixture
def start_worker(settings: Any, transactional_db: None) -> Iterator[Callable[[], None]]:
    """The database backend, and a function that starts its worker (stopped after the test)."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    started: list[tuple[Any, threading.Thread]] = []
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The test database is SQLite in memory, shared between threads with table locks: a page that
        # reads while the worker writes would fail with "table is locked". The app's own database is a
        # file in WAL mode, where readers never wait; read-uncommitted gives the test the same.
        def unlocked(sender: Any, connection: Any, **kwargs: Any) -> None:
            if connection.vendor == "sqlite":
                connection.cursor().execute("PRAGMA read_uncommitted = 1")

        connection_created.connect(unlocked, dispatch_uid="browser-test-unlocked")
        connection.cursor().execute("PRAGMA read_uncommitted = 1")

    def start() -> None:
        worker = Worker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id="browser-test", excluded_queue_names=[])
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        started.append((worker, thread))

    yield start
    for worker, thread in started:
        worker.running = False
        thread.join(timeout=60)
    connection_created.disconnect(dispatch_uid="browser-test-unlocked")


def _queued_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()


def test_an_upload_shows_its_progress_and_finishes(visit: Visit, org: Any, members: dict[str, Any],
                                                   good_files: list[Path], start_worker: Callable[[], None]) -> None:
    visit.login(members["analyst"].username)
    page = visit.page
    visit.open(f"/o/{org.slug}/uppladdningar/")
    page.get_by_label("Filer").set_input_files([str(p) for p in good_files])
    page.get_by_label("År som uppgifterna gäller").fill("2025")
    page.get_by_role("button", name="Kontrollera filerna").click()
    page.wait_for_load_state()
    page.locator("#confirm-form button").click()
    page.wait_for_load_state()
    assert page.locator("#upload-progress").is_visible(), "the page answers while the import waits"
    assert _queued_tasks() == 1
    visit.assert_accessible()
    start_worker()
    page.get_by_text("Uppgifterna är inlästa.").wait_for(timeout=120_000)
    assert page.locator("#upload-progress").count() == 0
    visit.assert_accessible()
    visit.no_console_errors()


def test_a_findings_update_shows_its_progress_and_finishes(
        visit: Visit, planted_org: Any, planted_members: dict[str, Any], start_worker: Callable[[], None]) -> None:
    visit.login(planted_members["analyst"].username)
    page = visit.page
    visit.open(f"/o/{planted_org.slug}/fynd/")
    page.locator("#update-form select").select_option("2025")
    page.locator("#update-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#task-progress").is_visible(), "the page answers while the analysis waits"
    assert _queued_tasks() == 1
    visit.assert_accessible()
    start_worker()
    page.get_by_text("Analysen för 2025 gav").wait_for(timeout=180_000)
    assert page.locator("#task-progress").count() == 0
    visit.assert_accessible()
    visit.no_console_errors()


def test_a_report_shows_its_progress_and_is_offered_when_done(
        visit: Visit, planted_org: Any, planted_members: dict[str, Any], start_worker: Callable[[], None]) -> None:
    visit.login(planted_members["viewer"].username)
    page = visit.page
    visit.open(f"/o/{planted_org.slug}/rapporter/")
    page.get_by_label("År").select_option("2025")
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_role("button", name="Skapa och ladda ner").click()
    page.wait_for_load_state()
    assert page.locator("#task-progress").is_visible(), "the page answers while the report waits"
    assert _queued_tasks() == 1
    visit.assert_accessible()
    start_worker()
    link = page.locator("#report-ready a")
    link.wait_for(timeout=180_000)
    visit.assert_accessible()
    with page.expect_download(timeout=60_000) as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    assert data[:2] == b"PK", "an XLSX workbook"
    visit.no_console_errors()
