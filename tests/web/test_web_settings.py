"""Settings: database URLs, secure defaults, Swedish first, the data folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from jamkoll.web.lib.dburl import parse_database_url


def test_postgres_url_is_parsed_without_extra_dependencies() -> None:
    config = parse_database_url("postgres://jam:hemligt%2Fx@db.example.se:6543/jamkoll?sslmode=require&conn_max_age=60")
    assert config == {
        "ENGINE": "django.db.backends.postgresql", "NAME": "jamkoll", "USER": "jam", "PASSWORD": "hemligt/x",
        "HOST": "db.example.se", "PORT": "6543", "CONN_MAX_AGE": 60, "OPTIONS": {"sslmode": "require"},
    }
    assert parse_database_url("postgresql://postgres@127.0.0.1/jamkoll")["PORT"] == ""
    socket = parse_database_url("postgres://postgres@%2Fvar%2Frun%2Fpostgresql/jamkoll")
    assert (socket["HOST"], socket["PORT"]) == ("/var/run/postgresql", "")


def test_sqlite_url_and_unknown_schemes() -> None:
    assert parse_database_url("sqlite:////var/lib/jamkoll/db.sqlite3") == {
        "ENGINE": "django.db.backends.sqlite3", "NAME": "/var/lib/jamkoll/db.sqlite3"}
    with pytest.raises(ValueError, match="okänt databasschema"):
        parse_database_url("mysql://x@y/z")
    with pytest.raises(ValueError, match="databasnamn"):
        parse_database_url("postgres://x@y/")


def test_secure_and_swedish_defaults() -> None:
    from jamkoll.web import settings as web_settings

    assert web_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en"]
    assert "jamkoll.web.lib.middleware.swedish_first" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert not settings.DEBUG


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    code = ("from django.conf import settings; print(settings.SECRET_KEY); "
            "print(settings.DATABASES['default']['ENGINE'])")
    env = {"JAMKOLL_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "jamkoll.web.settings",
           "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert first.stdout == second.stdout
    assert first.stdout.splitlines()[1] == "django.db.backends.sqlite3"
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/jamkoll"
    third = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert third.stdout.splitlines()[1] == "django.db.backends.postgresql"


def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_data_files_are_for_the_app_only(tmp_path: Path) -> None:
    """The database, the secret key, the analysis stores and caches hold personal data: mode 600, folders 700,
    whatever the umask the app was started with. A data folder made before is closed at start."""
    data = tmp_path / "data"
    old = tmp_path / "old"
    old.mkdir(mode=0o755)
    old.chmod(0o755)
    code = (
        "import os, django; django.setup()\n"
        "from django.conf import settings; from django.db import connection; connection.ensure_connection()\n"
        "with connection.cursor() as c: c.execute('CREATE TABLE t (x int)')\n"
        "from jamkoll.ingest import Store\n"
        "with Store(settings.JAMKOLL_STORES_DIR / 'org').connect(): pass\n"
        "cache = settings.JAMKOLL_DATA_DIR / 'cache' / 'org'; cache.mkdir(parents=True)\n"
        "(cache / 'result.json').write_text('{}')\n"
    )
    env = {"JAMKOLL_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "jamkoll.web.settings", "PATH": "/usr/bin:/bin"}
    subprocess.run(["sh", "-c", f"umask 022 && exec {sys.executable} -c \"$0\"", code], env=env, check=True)

    def mode(path: Path) -> str:
        return oct(path.stat().st_mode & 0o777)

    assert mode(data) == "0o700"
    files = [data / "jamkoll-web.sqlite3", data / "secret_key", data / "stores" / "org" / "jamkoll.duckdb",
             data / "cache" / "org" / "result.json"]
    assert {str(f.relative_to(data)): mode(f) for f in files} == {str(f.relative_to(data)): "0o600" for f in files}
    assert mode(data / "stores" / "org") == "0o700" and mode(data / "cache" / "org") == "0o700"
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env={**env, "JAMKOLL_DATA_DIR": str(old)},
                   check=True)
    assert mode(old) == "0o700"


def test_logged_in_answers_are_not_stored(org, members, client_for) -> None:  # type: ignore[no-untyped-def]
    """Cache-Control: no-store on every page, download and API answer of a logged-in user; public ones
    (the portal) keep theirs."""
    from django.test import Client
    from django.urls import reverse

    from jamkoll.web.accounts.models import ApiToken

    client = client_for(members["viewer"])
    page = client.get(reverse("front:dashboard", args=[org.slug]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    _token, plain = ApiToken.issue(members["analyst"], "test")
    api = Client().get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert api.status_code == 200 and api["Cache-Control"] == "no-store, private"
    portal = Client().get("/portal/")
    assert portal.status_code in (200, 302) and "no-store" not in portal.get("Cache-Control", "")


def test_e_mail_and_proxy_come_from_the_environment(tmp_path: Path) -> None:
    code = ("import json; from django.conf import settings as s; print(json.dumps([s.EMAIL_BACKEND, "
            "getattr(s, 'EMAIL_HOST', ''), getattr(s, 'EMAIL_PORT', None), getattr(s, 'EMAIL_USE_TLS', None), "
            "s.DEFAULT_FROM_EMAIL, s.JAMKOLL_TRUSTED_PROXY, getattr(s, 'SECURE_PROXY_SSL_HEADER', None)]))")
    base = {"JAMKOLL_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "jamkoll.web.settings",
            "PATH": "/usr/bin:/bin"}

    def read(**env: str) -> list[object]:
        done = subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True,
                              check=True)
        import json

        values: list[object] = json.loads(done.stdout)
        return values

    assert read() == ["django.core.mail.backends.console.EmailBackend", "", 25, False, "jamkoll@localhost", None,
                      None]
    smtp = read(JAMKOLL_EMAIL_HOST="smtp.kommun.se", JAMKOLL_EMAIL_FROM="jamkoll@kommun.se",
                JAMKOLL_TRUSTED_PROXY="10.0.0.5")
    assert smtp == ["django.core.mail.backends.smtp.EmailBackend", "smtp.kommun.se", 587, True, "jamkoll@kommun.se",
                    "10.0.0.5", ["HTTP_X_FORWARDED_PROTO", "https"]]
    assert read(JAMKOLL_TRUSTED_PROXY="1")[5:] == ["127.0.0.1", ["HTTP_X_FORWARDED_PROTO", "https"]]
