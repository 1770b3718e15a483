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
    # The region's admin, who manages the demo portal (/portal/dalarna/hantera/).
    region = Membership.objects.get(user__username="region")
    assert region.role == "admin" and region.organization.portal_region.slug == "dalarna"
    assert authenticate(username="region", password=load_demo.DEFAULT_PASSWORD) is not None
    assert "region " in text and "/portal/dalarna/hantera/" in text

    # The demo admin is the organisation's admin, not a superuser: /admin/ (every organisation) is closed to it.
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert not admin.is_superuser and not admin.is_staff
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert "superanvändare" not in text

    admin.is_staff = admin.is_superuser = True  # as made by an earlier version
    admin.save()
    again = io.StringIO()
    call_command("load_demo", "--findings-years", "0", "--superuser", "drift", stdout=again)  # nothing doubles
    assert Submission.objects.filter(organization=demo).count() == 1
    assert Membership.objects.filter(organization=demo).count() == 4
    admin.refresh_from_db()
    assert not admin.is_superuser and not admin.is_staff
    root = get_user_model().objects.get(is_superuser=True)
    assert (root.username, root.is_staff, root.memberships.count()) == ("drift", True, 0)
    assert "drift" in again.getvalue() and "superanvändare" in again.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="demoanvändare"):
        call_command("load_demo", "--findings-years", "0", "--superuser", "admin", stdout=io.StringIO())


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


def test_jamkoll_serve_with_several_processes(tmp_path: Path) -> None:
    """``--processes 2``: one more server process shares the listening socket, every request is answered,
    and the extra process ends with the server."""
    import os
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "JAMKOLL_DATA"))}
    env["JAMKOLL_SECRET_KEY"] = "serve-test"
    command = [sys.executable, "-m", "jamkoll.cli", "serve", "--port", str(port), "--store", str(tmp_path / "web"),
               "--processes", "2", "--workers", "0"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def children() -> list[int]:
        path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    try:
        deadline = time.monotonic() + 120  # a deadline for start-up, not a timing assertion
        while True:
            try:
                urllib.request.urlopen(base + "/konto/logga-in/", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "jamkoll serve did not start"
                time.sleep(0.5)
        own = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        servers = [pid for pid in children() if Path(f"/proc/{pid}/cmdline").read_bytes() == own]
        assert len(servers) == 1, "one forked server process beside the first"

        def status(_i: int) -> int:
            with urllib.request.urlopen(base + "/konto/logga-in/", timeout=60) as response:
                response.read()
                return int(response.status)

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(status, range(40))) == {200}
    finally:
        process.terminate()
        process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{servers[0]}").exists() and b"zombie" not in _proc_state(servers[0]):
        assert time.monotonic() < deadline, "the forked server outlived the server"
        time.sleep(0.2)


def _proc_state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes().lower()
    except OSError:
        return b"zombie"


def _through_waitress(options: dict[str, Any], peer: str, headers: dict[str, str]) -> dict[str, Any]:
    """The WSGI environ the app sees after waitress's proxy handling with ``options`` (from ``jamkoll serve``)."""
    from waitress.proxy_headers import proxy_headers_middleware

    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return []

    wrapped = proxy_headers_middleware(
        app, trusted_proxy=options.get("trusted_proxy"), trusted_proxy_count=options.get("trusted_proxy_count", 1),
        trusted_proxy_headers=options.get("trusted_proxy_headers"),
        clear_untrusted=options["clear_untrusted_proxy_headers"])
    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", "SERVER_PORT": "8000", "HTTP_HOST": "jamkoll.example.se",
               **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}}
    wrapped(environ, lambda *a: None)
    return seen


def test_trusted_proxy_options() -> None:
    from jamkoll.web import proxy_options, trusted_proxy_address

    assert [trusted_proxy_address(v) for v in (None, "", "0", "off", "1", "true", " 10.0.0.5 ", "*")] == [
        None, None, None, None, "127.0.0.1", "127.0.0.1", "10.0.0.5", "*"]
    assert proxy_options(None) == {"clear_untrusted_proxy_headers": True}
    options = proxy_options("10.0.0.5")
    assert options == {"trusted_proxy": "10.0.0.5", "trusted_proxy_count": 1, "clear_untrusted_proxy_headers": True,
                       "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
    # The client sent its own X-Forwarded-For; the proxy appended the real address: that one counts.
    sent = {"X-Forwarded-For": "6.6.6.6, 192.0.2.50", "X-Forwarded-Proto": "https"}
    via_proxy = _through_waitress(options, "10.0.0.5", sent)
    assert (via_proxy["REMOTE_ADDR"], via_proxy["wsgi.url_scheme"]) == ("192.0.2.50", "https")
    assert via_proxy["HTTP_X_FORWARDED_PROTO"] == "https"  # Django's SECURE_PROXY_SSL_HEADER reads it
    # Anyone else, and everyone when no proxy is trusted, cannot claim an address or https.
    for opts, peer in ((options, "192.0.2.99"), (proxy_options(None), "10.0.0.5")):
        direct = _through_waitress(opts, peer, sent)
        assert (direct["REMOTE_ADDR"], direct["wsgi.url_scheme"]) == (peer, "http")
        assert "HTTP_X_FORWARDED_PROTO" not in direct and "HTTP_X_FORWARDED_FOR" not in direct


def test_serve_passes_the_trusted_proxy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    from typer.testing import CliRunner

    import jamkoll.web
    from jamkoll.cli import app

    served: list[dict[str, Any]] = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: served.append(kwargs))
    for name in ("JAMKOLL_DATA_DIR", "DATABASE_URL", "JAMKOLL_ALLOWED_HOSTS"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("JAMKOLL_TRUSTED_PROXY", "10.0.0.7")
    jamkoll.web.serve(store=tmp_path / "web")
    assert served[-1]["trusted_proxy"] == "10.0.0.7" and served[-1]["trusted_proxy_count"] == 1
    assert os.environ["JAMKOLL_TRUSTED_PROXY"] == "10.0.0.7"
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "web"), "--trusted-proxy", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    assert served[-1]["trusted_proxy"] == "127.0.0.1" and "127.0.0.1" in result.output
    monkeypatch.delenv("JAMKOLL_TRUSTED_PROXY")
    assert CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "web")]).exit_code == 0
    assert "trusted_proxy" not in served[-1] and served[-1]["clear_untrusted_proxy_headers"] is True
    assert os.environ["JAMKOLL_TRUSTED_PROXY"] == ""


def test_jamkoll_serve_behind_an_https_proxy(tmp_path: Path) -> None:
    """The real server with ``--trusted-proxy 127.0.0.1`` and ``JAMKOLL_HTTPS=1``, the test playing the proxy:
    no redirect loop on https, and a failed login is audited with the client's address, not the proxy's."""
    import os
    import re
    import sqlite3
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "JAMKOLL_"))}
    env.update(JAMKOLL_SECRET_KEY="proxy-test", JAMKOLL_HTTPS="1", JAMKOLL_ALLOWED_HOSTS="jamkoll.example.se")
    command = [sys.executable, "-m", "jamkoll.cli", "serve", "--port", str(port), "--store", str(tmp_path / "web"),
               "--trusted-proxy", "127.0.0.1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    proxy = {"Host": "jamkoll.example.se", "X-Forwarded-Proto": "https", "X-Forwarded-For": "6.6.6.6, 192.0.2.50"}

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        deadline = time.monotonic() + 120  # a deadline for start-up, not a timing assertion
        while True:
            try:
                login = opener.open(urllib.request.Request(base + "/konto/logga-in/", headers=proxy), timeout=5)
                break
            except urllib.error.HTTPError as exc:
                raise AssertionError(f"{exc.code} {exc.headers.get('Location')}") from exc
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "jamkoll serve did not start"
                time.sleep(0.5)
        assert login.status == 200, "https from the proxy is believed: no redirect to https"
        assert "max-age=31536000" in login.headers["Strict-Transport-Security"]
        cookie = login.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.read().decode())
        assert token
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": "ingen",
                                       "password": "fel"}).encode()
        post = urllib.request.Request(base + "/konto/logga-in/", data=form, method="POST", headers={
            **proxy, "Cookie": cookie, "Referer": "https://jamkoll.example.se/konto/logga-in/"})
        assert opener.open(post, timeout=5).status == 200
        # Without X-Forwarded-Proto the request was plain http: redirected to https, once.
        direct = {"Host": "jamkoll.example.se"}
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(urllib.request.Request(base + "/konto/logga-in/", headers=direct), timeout=5)
        assert redirected.value.code == 301
        assert redirected.value.headers["Location"] == "https://jamkoll.example.se/konto/logga-in/"
    finally:
        process.terminate()
        process.wait(timeout=30)
    with sqlite3.connect(tmp_path / "web" / "jamkoll-web.sqlite3") as db:
        rows = db.execute("SELECT action, username, ip FROM lib_auditevent").fetchall()
    assert rows == [("login_failed", "ingen", "192.0.2.50")]
