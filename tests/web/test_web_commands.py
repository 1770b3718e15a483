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
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: calls.append(a))
    for name in ("JAMKOLL_DATA_DIR", "DATABASE_URL", "JAMKOLL_ALLOWED_HOSTS"):
        monkeypatch.setenv(name, "")
    jamkoll.web.serve(host="jamkoll.local", port=8123, store=tmp_path / "web",
                      database_url="postgres://postgres@127.0.0.1:5432/jamkoll")
    import os

    assert os.environ["JAMKOLL_DATA_DIR"] == str((tmp_path / "web").resolve())
    assert os.environ["DATABASE_URL"].startswith("postgres://")
    assert "jamkoll.local" in os.environ["JAMKOLL_ALLOWED_HOSTS"].split(",")
    assert calls == [("migrate",), ("runserver", "jamkoll.local:8123", "--noreload", "--insecure")]
