"""Hostile files through the upload page and the API: a Swedish error, nothing stored or left on disk,
an audit event, and the service keeps serving (issue 13). The files are the ingest tests' hostile
classes, built in the test (huge declared dimension, far cell, zip bomb, billion laughs, XXE,
truncated, wrong type)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.front.models import Submission
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.stores import staging_root, store_for

from .conftest import uploaded

_SPEC = importlib.util.spec_from_file_location(
    "hostile_builders", Path(__file__).resolve().parents[1] / "ingest" / "test_hostile_files.py")
assert _SPEC is not None and _SPEC.loader is not None
_BUILDERS = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BUILDERS)

CLASSES = ["declared dimension", "far cell XFD1048576", "zip bomb", "billion laughs", "XXE", "truncated", "PDF"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    files: dict[str, tuple[Path, str]] = _BUILDERS.hostile_files(tmp_path_factory.mktemp("hostile-web"))
    return files


def _problems_text(submission: Submission) -> str:
    return json.dumps(submission.problems, ensure_ascii=False)


@pytest.mark.parametrize("kind", CLASSES)
def test_the_upload_page_refuses_a_hostile_file_and_keeps_serving(
        kind: str, hostile: dict[str, tuple[Path, str]], loaded_org: Any, members: dict[str, Any],
        client_for: Any) -> None:
    path, phrase = hostile[kind]
    before = store_for(loaded_org).database.read_bytes()
    client = client_for(members["reporter"])
    response = client.post(reverse("front:uploads", args=[loaded_org.slug]), {"files": uploaded([path])})
    assert response.status_code in (302, 400)
    submission = Submission.objects.filter(organization=loaded_org).order_by("-pk").first()
    assert submission is not None and submission.status == "rejected", kind
    assert phrase in _problems_text(submission), kind
    assert store_for(loaded_org).database.read_bytes() == before, "nothing is stored"
    assert not any(staging_root(loaded_org).rglob("*.xlsx")), "nothing is left on disk"
    assert AuditEvent.objects.filter(organization=loaded_org, action="upload_rejected").exists()
    other = client_for(members["analyst"])
    assert other.get(reverse("front:dashboard", args=[loaded_org.slug])).status_code == 200


@pytest.mark.parametrize("kind", ["far cell XFD1048576", "billion laughs", "truncated"])
def test_the_api_refuses_a_hostile_file_with_422(kind: str, hostile: dict[str, tuple[Path, str]],
                                                 loaded_org: Any, members: dict[str, Any]) -> None:
    path, phrase = hostile[kind]
    _token, plain = ApiToken.issue(members["analyst"], "test")
    client = Client()
    response = client.post(f"/api/orgs/{loaded_org.slug}/submissions", {"files": uploaded([path])},
                           headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 422, response.content
    assert phrase in json.dumps(response.json(), ensure_ascii=False), kind
    assert not any(staging_root(loaded_org).rglob("*.xlsx"))
    assert client.get(f"/api/orgs/{loaded_org.slug}/submissions",
                      headers={"Authorization": f"Bearer {plain}"}).status_code == 200
