"""Django for the web tests only: settings, a throw-away data folder, organisations, users, stores.

Nothing outside ``tests/web`` needs Django: this conftest is only imported when tests/web is
collected, and only then points ``DJANGO_SETTINGS_MODULE`` at the web app's settings.

The database is SQLite (in memory) unless ``JAMKOLL_TEST_DATABASE_URL`` is set, e.g.::

    JAMKOLL_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jamkoll pytest tests/web

Django then creates and drops ``test_jamkoll`` (``test_jamkoll_gw0`` … under xdist) on that server.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .browser import AXE, CHROMIUM, CHROMIUM_ARGS, Visit

_DATA_DIR = Path(tempfile.mkdtemp(prefix="jamkoll-web-tests-"))
os.environ["JAMKOLL_DATA_DIR"] = str(_DATA_DIR)
os.environ["JAMKOLL_SECRET_KEY"] = "tests-only-" + uuid.uuid4().hex
os.environ.pop("DATABASE_URL", None)
_TEST_DATABASE_URL = os.environ.get("JAMKOLL_TEST_DATABASE_URL", "").strip()
if _TEST_DATABASE_URL:
    _parts = urlsplit(_TEST_DATABASE_URL)
    try:
        socket.create_connection((_parts.hostname or "127.0.0.1", _parts.port or 5432), timeout=3).close()
    except OSError as exc:
        raise RuntimeError(f"JAMKOLL_TEST_DATABASE_URL is set but the database server is not reachable: {exc}") from exc
    os.environ["DATABASE_URL"] = _TEST_DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "jamkoll.web.settings"

import django  # noqa: E402

django.setup()

GOOD_FILES = Path(__file__).resolve().parents[1] / "ingest" / "files" / "good"
BAD_FILES = Path(__file__).resolve().parents[1] / "ingest" / "files" / "bad"
PASSWORD = "ett-långt-testlösenord-2026"
ROLES = ("admin", "analyst", "reporter", "viewer")
PLANTED_SLUG = "planterat"
# The interventions kept from the demo association for the planted store; the reporter gets the first.
PLANTED_INTERVENTIONS = ("INS02", "INS05")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"jamkoll web tests: database {settings.DATABASES['default']['ENGINE']}, data {_DATA_DIR}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; the tests of the setting itself read the settings module."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# -- files ----------------------------------------------------------------------------------------


@pytest.fixture
def good_files(tmp_path: Path) -> list[Path]:
    """Copies of the ingest test suite's good files (never the originals)."""
    folder = tmp_path / "good"
    shutil.copytree(GOOD_FILES, folder)
    return sorted(folder.iterdir())


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    """An enrolments file with an unknown income support category on row 2."""
    folder = tmp_path / "bad"
    shutil.copytree(BAD_FILES / "unknown_category", folder)
    return folder / "inskrivningar.csv"


def uploaded(paths: list[Path]) -> list[Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]


# -- organisations and users ----------------------------------------------------------------------


def _remove_org_folders(slug: str) -> None:
    from django.conf import settings

    for base in (settings.JAMKOLL_STORES_DIR, settings.JAMKOLL_STAGING_DIR, Path(settings.JAMKOLL_DATA_DIR) / "cache"):
        shutil.rmtree(Path(base) / slug, ignore_errors=True)


@pytest.fixture
def make_org(db: None) -> Iterator[Callable[..., Any]]:
    """Make organisations with unique slugs; their stores are deleted after the test."""
    from jamkoll.web.accounts.models import Organization

    made: list[str] = []

    def make(name: str = "Testförbundet", slug: str | None = None, kind: str = "association") -> Any:
        slug = slug or f"org-{uuid.uuid4().hex[:10]}"
        made.append(slug)
        return Organization.objects.create(name=name, slug=slug, kind=kind)

    yield make
    for slug in made:
        if slug != PLANTED_SLUG:
            _remove_org_folders(slug)


@pytest.fixture
def org(make_org: Callable[..., Any]) -> Any:
    return make_org("Testförbundet")


@pytest.fixture
def other_org(make_org: Callable[..., Any]) -> Any:
    return make_org("Andra kommunen", kind="municipality")


def make_member(org: Any, role: str, username: str | None = None, interventions: tuple[str, ...] = ()) -> Any:
    from django.contrib.auth import get_user_model

    from jamkoll.web.accounts.models import Intervention, Membership

    user = get_user_model().objects.create_user(username or f"{role}-{org.slug}", password=PASSWORD)
    member = Membership.objects.create(user=user, organization=org, role=role)
    for iid in interventions:
        member.interventions.add(Intervention.objects.get_or_create(organization=org, intervention_id=iid)[0])
    return user


@pytest.fixture
def members(org: Any, other_org: Any) -> dict[str, Any]:
    """One user per role in ``org`` (the reporter reports for INS01) and an ``outsider`` from ``other_org``."""
    users = {role: make_member(org, role, interventions=("INS01",) if role == "reporter" else ())
             for role in ROLES}
    users["outsider"] = make_member(other_org, "admin", username="outsider")
    return users


@pytest.fixture
def client_for(db: None) -> Callable[[Any], Any]:
    """A test client logged in as the given user (None: anonymous)."""
    from django.test import Client

    def make(user: Any) -> Any:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def loaded_org(org: Any, members: dict[str, Any], good_files: list[Path]) -> Any:
    """``org`` with the ingest suite's good files imported (INS01 and INS02) by its admin."""
    from jamkoll.web.front.uploads import confirm_submission, stage_upload

    submission = stage_upload(org, members["admin"], uploaded(good_files))
    confirm_submission(submission, members["admin"])
    submission.refresh_from_db()
    assert submission.status == "accepted", submission.problems
    return org


# -- the planted store: demo data of two interventions, with known unjustified differences --------


@pytest.fixture(scope="session")
def planted_store(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo association cut down to INS02 and INS05: small enough to analyse in seconds, and with
    unjustified differences in 2024 and 2025 (some recurring)."""
    import duckdb

    folder = tmp_path_factory.mktemp("planted")
    shutil.copy(demo_store / "jamkoll.duckdb", folder / "jamkoll.duckdb")
    con = duckdb.connect(str(folder / "jamkoll.duckdb"))
    try:
        for table in ("enrolments", "components", "counts", "interventions", "budgets"):
            con.execute(f"DELETE FROM {table} WHERE intervention_id NOT IN (SELECT unnest(?::VARCHAR[]))",
                        [list(PLANTED_INTERVENTIONS)])
        con.execute("DELETE FROM participants WHERE participant_id NOT IN (SELECT participant_id FROM enrolments)")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return folder


@pytest.fixture
def planted_org(make_org: Callable[..., Any], planted_store: Path) -> Any:
    """An organisation whose store is the planted store. The store folder is copied once per session and
    never written by the tests, so analyses of it are computed once and then read from the cache."""
    from django.conf import settings

    from jamkoll.web.lib.stores import sync_interventions

    target = Path(settings.JAMKOLL_STORES_DIR) / PLANTED_SLUG
    if not target.exists():
        shutil.copytree(planted_store, target)
    org = make_org("Planterade förbundet", slug=PLANTED_SLUG)
    sync_interventions(org)
    return org


@pytest.fixture
def planted_members(planted_org: Any, other_org: Any) -> dict[str, Any]:
    users = {role: make_member(planted_org, role, interventions=PLANTED_INTERVENTIONS[:1] if role == "reporter"
                               else ()) for role in ROLES}
    users["outsider"] = make_member(other_org, "admin", username="outsider")
    return users


# -- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists() or not AXE.exists():
        if os.environ.get("JAMKOLL_CI"):
            pytest.fail(f"{CHROMIUM} or {AXE} is missing: `make test` installs both")
        pytest.skip("Chromium (Debian package) or axe-core (npm ci) is not installed; `make test` installs both")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in the test's thread; the ORM calls of the
    # fixtures are still synchronous and outside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visit(chromium: Any, live_server: Any, transactional_db: None) -> Iterator[Visit]:
    context = chromium.new_context(locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)  # the first analysis of a year takes seconds on a busy machine
    try:
        yield Visit(page, live_server.url)
    finally:
        context.close()
