"""Parse a ``DATABASE_URL`` into Django's ``DATABASES`` entry (no dj-database-url dependency)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


def parse_database_url(url: str) -> dict[str, Any]:
    """``postgres://user:password@host:5432/name?sslmode=require`` or ``sqlite:///path/to/db.sqlite3``.

    Query parameters of a PostgreSQL URL become connection ``OPTIONS`` (``sslmode``, ``connect_timeout``,
    ...), except ``conn_max_age``, which becomes ``CONN_MAX_AGE``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as dj-database-url reads them.
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if parts.netloc:
            path = parts.netloc + "/" + path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(path) or ":memory:"}
    if scheme not in POSTGRES_SCHEMES:
        raise ValueError(f"DATABASE_URL: okänt databasschema {scheme!r} (använd postgres:// eller sqlite://)")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError("DATABASE_URL saknar databasnamn (postgres://användare@värd:5432/namn)")
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    host = parts.netloc.rsplit("@", 1)[-1]
    socket_dir = "%2f" in host.lower()  # postgres://%2Fvar%2Frun%2Fpostgresql/db: a socket directory
    config: dict[str, Any] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(host) if socket_dir else (parts.hostname or ""),
        "PORT": "" if socket_dir else str(parts.port or ""),
    }
    if "conn_max_age" in options:
        config["CONN_MAX_AGE"] = int(options.pop("conn_max_age"))
    if options:
        config["OPTIONS"] = options
    return config
