"""The ``load_demo`` management command and :func:`jamkoll.web.serve`."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.front.management.commands import load_demo
from jamkoll.web.front.models import Submission


@pytest.fixture
def demo_slugs(db: None) -> Any:
    yield
    for slug in (load_demo.DEMO_SLUG, load_demo.OTHER_SLUG):
        shutil.rmtree(Path(settings.JAMKOLL_STORES_DIR) / slug, ignore_errors=True)


def test_load_demo(demo_slugs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    years: list[int] = []

    def fake_update(org: Any, year: int, user: Any, request: Any = None) -> Any:
        years.append(year)
        return type("R", (), {"flagged": 0, "created": [], "recurring": []})()

    monkeypatch.setattr("jamkoll.web.front.register.update_findings", fake_update)
    out = io.StringIO()
    call_command("load_demo", "--findings-years", "1", stdout=out)
    text = out.getvalue()
    demo = Organization.objects.get(slug=load_demo.DEMO_SLUG)
    other = Organization.objects.get(slug=load_demo.OTHER_SLUG)
    assert demo.name == "Samordningsförbundet Siljan-Västerdal (demo)" and demo.kind == "association"
    assert list(demo.partners.all()) == [other]
    roles = dict(Membership.objects.filter(organization=demo).values_list("user__username", "role"))
    assert roles == {"admin": "admin", "analytiker": "analyst", "rapportor": "reporter", "styrgrupp": "viewer"}
    reporter = Membership.objects.get(organization=demo, user__username="rapportor")
    assert reporter.assigned_ids() == {"INS01", "INS02"}
    assert demo.interventions.count() == 12
    submission = Submission.objects.get(organization=demo)
    assert submission.status == "accepted" and submission.versions.count() == 12
    assert years == [2025]
    assert load_demo.DEFAULT_PASSWORD in text and "rapportor" in text and "styrgrupp" in text
    from django.contrib.auth import authenticate

    assert authenticate(username="styrgrupp", password=load_demo.DEFAULT_PASSWORD) is not None

    call_command("load_demo", "--findings-years", "0", stdout=io.StringIO())  # again: nothing doubles
    assert Submission.objects.filter(organization=demo).count() == 1
    assert Membership.objects.filter(organization=demo).count() == 4


def test_serve_migrates_and_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import jamkoll.web

    calls: list[tuple[Any, ...]] = []
    served: list[dict[str, Any]] = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: calls.append(a))
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: served.append({"app": app, **kwargs}))
    for name in ("JAMKOLL_DATA_DIR", "DATABASE_URL", "JAMKOLL_ALLOWED_HOSTS"):
        monkeypatch.setenv(name, "")
    jamkoll.web.serve(host="jamkoll.local", port=8123, store=tmp_path / "web",
                      database_url="postgres://postgres@127.0.0.1:5432/jamkoll")
    import os

    assert os.environ["JAMKOLL_DATA_DIR"] == str((tmp_path / "web").resolve())
    assert os.environ["DATABASE_URL"].startswith("postgres://")
    assert "jamkoll.local" in os.environ["JAMKOLL_ALLOWED_HOSTS"].split(",")
    assert calls == [("migrate",)]
    assert len(served) == 1 and served[0]["host"] == "jamkoll.local" and served[0]["port"] == 8123
    assert callable(served[0]["app"])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_jamkoll_serve_answers_with_pages_and_static_files(tmp_path: Path) -> None:
    """The real command in its own process: migrates a new data folder, then serves the pages and the
    static files (CSS, the vendored chart scripts) without DEBUG and without any other web server."""
    import os
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "JAMKOLL_DATA"))}
    env["JAMKOLL_SECRET_KEY"] = "serve-test"
    command = [sys.executable, "-m", "jamkoll.cli", "serve", "--port", str(port), "--store", str(tmp_path / "web")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a deadline for start-up, not a timing assertion
        while True:
            try:
                login = urllib.request.urlopen(base + "/konto/logga-in/", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "jamkoll serve did not start"
                time.sleep(0.5)
        html = login.read().decode()
        assert login.status == 200 and "<h1>Logga in</h1>" in html
        assert login.headers["Server"] == "Jamkoll" and "script-src 'self'" in login.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(base + "/static/jamkoll/site.css", timeout=5)
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        charts = urllib.request.urlopen(base + "/static/vendor/vega-embed.min.js", timeout=5)
        assert charts.status == 200 and b"vegaEmbed" in charts.read()
        assert (tmp_path / "web" / "jamkoll-web.sqlite3").exists(), "the data folder was migrated"
    finally:
        process.terminate()
        process.wait(timeout=30)
