"""The REST API against its own OpenAPI document, with schemathesis: generated requests to every
operation (as the organisation's admin, with the real organisation slug) never make the server fail.

The operations are drawn with schemathesis's Hypothesis strategies and sent to the WSGI app in
process (schemathesis's pytest plugin does not yet run on this pytest, so Hypothesis drives it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamkoll.web.accounts.models import ApiToken

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
# Per operation; JAMKOLL_API_EXAMPLES=200 for a longer hunt. Uploads' parsing is tested in test_web_api.py.
MAX_EXAMPLES = int(os.environ.get("JAMKOLL_API_EXAMPLES", "10"))


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app, whose end-of-request signal would close the test's
    database connection (and with it its transaction); Django's own test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_document_describes_every_part_of_the_api() -> None:
    paths = {label.split(" ", 1)[1] for label in OPERATIONS}
    for prefix in ("/api/orgs", "/api/funding/", "/api/portal/"):
        assert any(p.startswith(prefix) for p in paths), prefix
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_operation_answers_without_a_server_error(label: str, org: Any, members: dict[str, Any],
                                                         keep_test_connection: None) -> None:
    operation = OPERATIONS[label]
    _token, plain = ApiToken.issue(members["admin"], "schemathesis")
    headers = {"Authorization": f"Bearer {plain}"}

    @given(data=st.data())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(data: Any) -> None:
        case = data.draw(operation.as_strategy())
        if case.path_parameters and "slug" in case.path_parameters:
            case.path_parameters["slug"] = org.slug  # otherwise nearly every request ends at 404
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{label}: {response.status_code} for {case.path_parameters} {case.query}"

    check()


def test_years_out_of_range_are_refused_not_failed(org: Any, members: dict[str, Any]) -> None:
    from django.test import Client

    _token, plain = ApiToken.issue(members["admin"], "years")
    client = Client(headers={"Authorization": f"Bearer {plain}"})
    assert client.get(f"/api/orgs/{org.slug}/activities", {"year": -1}).status_code == 422
    assert client.get(f"/api/orgs/{org.slug}/activities", {"year": 2025}).status_code == 200
