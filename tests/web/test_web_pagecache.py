"""Rendered pages kept per session and data generation (jamkoll.web.lib.pagecache): a page is read
again only while nothing it shows has changed, and only by the session it was rendered for."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from jamkoll.ingest import import_files
from jamkoll.web.accounts.models import Intervention
from jamkoll.web.lib import pagecache
from jamkoll.web.lib.stores import store_for

from .conftest import PASSWORD

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    pagecache.clear()


def dashboard(org: Any) -> str:
    return reverse("front:dashboard", kwargs={"slug": org.slug})


def primed(client: Any) -> Any:
    """``client`` with its CSRF cookie: a page that hands out a new CSRF secret (a session's first) is not kept."""
    assert client.get(reverse("password_change")).status_code == 200
    assert "csrftoken" in client.cookies
    return client


def test_a_page_is_rendered_once_then_read_from_memory(loaded_org: Any, members: dict[str, Any],
                                                       client_for: Any) -> None:
    client = primed(client_for(members["analyst"]))
    first = client.get(dashboard(loaded_org))
    second = client.get(dashboard(loaded_org))
    assert first.status_code == second.status_code == 200
    assert first.context is not None, "rendered"
    assert second.context is None, "no template rendered: the kept page"
    assert second.content == first.content
    assert second["Cache-Control"] == "no-store, private", "the middleware's headers still apply"
    assert client.get(dashboard(loaded_org) + "?year=").context is not None, "another query string"


def test_a_write_to_the_database_is_seen_at_once_however_it_was_made(loaded_org: Any, members: dict[str, Any],
                                                                     client_for: Any) -> None:
    client = primed(client_for(members["analyst"]))
    page = reverse("front:intervention", kwargs={"slug": loaded_org.slug, "intervention_id": "INS01"})
    assert "Nytt namn på insatsen" not in client.get(page).content.decode()
    assert client.get(page).context is None, "kept"
    # A queryset update sends no model signal: the write is seen at the database connection.
    Intervention.objects.filter(organization=loaded_org, intervention_id="INS01").update(name="Nytt namn på insatsen")
    assert "Nytt namn på insatsen" in client.get(page).content.decode()


def test_an_import_outside_the_web_app_is_seen(loaded_org: Any, members: dict[str, Any], client_for: Any,
                                               tmp_path: Path) -> None:
    client = primed(client_for(members["analyst"]))
    client.get(dashboard(loaded_org))
    assert client.get(dashboard(loaded_org)).context is None
    extra = tmp_path / "insatser.csv"
    extra.write_text("insats_id;namn;budget_kr;år\nINS01;Steg till arbete;5;2024\n", encoding="utf-8")
    import_files([extra], store_for(loaded_org))  # as `jamkoll import` does
    assert client.get(dashboard(loaded_org)).context is not None, "a new store version: rendered again"


def test_each_session_gets_only_its_own_page(loaded_org: Any, members: dict[str, Any], client_for: Any) -> None:
    analyst, viewer = primed(client_for(members["analyst"])), primed(client_for(members["viewer"]))
    mine = analyst.get(dashboard(loaded_org)).content.decode()
    theirs = viewer.get(dashboard(loaded_org))
    assert theirs.context is not None, "another user: rendered for that user"
    assert members["analyst"].username in mine
    assert members["analyst"].username not in theirs.content.decode()
    again = primed(client_for(members["analyst"]))  # the same user in a second session (another browser)
    assert again.get(dashboard(loaded_org)).context is not None


def test_the_form_token_of_a_kept_page_is_valid(loaded_org: Any, members: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    login = client.get(reverse("login"))
    token = CSRF.search(login.content.decode()).group(1)  # type: ignore[union-attr]
    answer = client.post(reverse("login"), {"username": members["analyst"].username,
                                                     "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    client.get(dashboard(loaded_org))
    kept = client.get(dashboard(loaded_org))
    assert kept.context is None
    token = CSRF.search(kept.content.decode()).group(1)  # type: ignore[union-attr]
    out = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert out.status_code == 302, "the kept page's logout form works"
    assert client.get(dashboard(loaded_org)).status_code == 302, "logged out: no kept page is served"


def _request(factory: RequestFactory, user: Any, message: str | None = None) -> Any:
    request = factory.get("/o/x/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.META["CSRF_COOKIE"] = "s" * 32
    if message:
        request._messages.add(20, message)
    return request


def test_a_page_with_a_message_is_neither_kept_nor_read(members: dict[str, Any]) -> None:
    renders: list[int] = []

    def render() -> HttpResponse:
        renders.append(1)
        return HttpResponse(f"page {len(renders)}")

    factory = RequestFactory()
    with_message = pagecache.serve_kept(_request(factory, members["analyst"], "Uppladdningen är klar."), render)
    assert with_message.content == b"page 1"
    assert pagecache.serve_kept(_request(factory, members["analyst"]), render).content == b"page 2"
    assert pagecache.serve_kept(_request(factory, members["analyst"]), render).content == b"page 2", "kept"
    assert pagecache.serve_kept(_request(factory, members["analyst"], "Sparat."), render).content == b"page 3"


def test_a_page_that_hands_out_a_new_form_token_secret_is_not_kept(members: dict[str, Any]) -> None:
    # An anonymous visitor without a CSRF cookie: the page's token is made from a secret only this
    # answer's cookie carries; the next visitor without a cookie must not get it.
    def render(request: Any) -> HttpResponse:
        return HttpResponse(f"token {get_token(request)}")

    factory = RequestFactory()
    tokens = []
    for _ in range(2):
        request = factory.get("/portal/")
        request.session = SessionStore()
        tokens.append(pagecache.serve_kept(request, partial(render, request)).content)
        assert "CSRF_COOKIE" in request.META
    assert tokens[0] != tokens[1]


def test_only_plain_pages_are_kept(members: dict[str, Any]) -> None:
    factory = RequestFactory()
    answers = [HttpResponse("fel", status=500), HttpResponse("ok")]
    answers[1].set_cookie("x", "1")
    for answer in answers:
        pagecache.serve_kept(_request(factory, members["analyst"]), partial(lambda a: a, answer))
        fresh = pagecache.serve_kept(_request(factory, members["analyst"]), lambda: HttpResponse("new"))
        assert fresh.content == b"new", "an error or a cookie-setting answer is not kept"
        pagecache.clear()


@pytest.mark.django_db(transaction=True)
def test_only_committed_writes_start_a_new_generation(org: Any) -> None:
    start = pagecache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Intervention.objects.create(organization=org, intervention_id="INS09")
        raise RuntimeError("rolled back")
    assert pagecache.generation() == start, "a rolled back write changes nothing"
    with transaction.atomic():
        Intervention.objects.create(organization=org, intervention_id="INS09")
        Intervention.objects.filter(intervention_id="INS09").update(name="Nio")
        assert pagecache.generation() == start, "not before the commit"
    committed = pagecache.generation()
    assert committed != start
    session = SessionStore()
    session["x"] = 1
    session.save()  # sessions are part of the key, not of the generation
    assert pagecache.generation() == committed
    Intervention.objects.filter(intervention_id="INS09").delete()
    assert pagecache.generation() != committed


def test_the_portal_page_is_kept_per_host(members: dict[str, Any], settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    renders: list[str] = []

    def render(request: Any) -> HttpResponse:
        renders.append(request.get_host())
        return HttpResponse(request.build_absolute_uri("/portal/"))

    factory = RequestFactory()
    for host in ("a.example", "b.example", "a.example"):
        request = factory.get("/portal/", HTTP_HOST=host)
        request.session = SessionStore()
        answer = pagecache.serve_kept(request, partial(render, request))
        assert host.encode() in answer.content
    assert renders == ["a.example", "b.example"]
