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
