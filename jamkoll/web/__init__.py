"""The Jämkoll web app (Django): organisations, uploads, dashboards, findings register, reports, API.

The library (``jamkoll.ingest``, ``jamkoll.analysis``, ``jamkoll.reports``) never imports Django;
this package is the only place that does. Start it with :func:`serve`, or run Django commands with
``python -m jamkoll.web <command>`` (``migrate``, ``createsuperuser``, ``load_demo``, ...).
"""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_MODULE = "jamkoll.web.settings"


def configure(store: Path | str | None = None, database_url: str | None = None,
              allowed_hosts: list[str] | None = None) -> None:
    """Point the web app at its data folder and database, then set Django up.

    ``store`` is the web app's data folder (``JAMKOLL_DATA_DIR``): its SQLite database, secret key and
    every organisation's analysis store under ``stores/<slug>/``. Must run before Django reads its
    settings, so it is the first thing :func:`serve` and ``python -m jamkoll.web`` do.
    """
    import django

    if store is not None:
        os.environ["JAMKOLL_DATA_DIR"] = str(Path(store).resolve())
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    if allowed_hosts:
        known = os.environ.get("JAMKOLL_ALLOWED_HOSTS") or "localhost,127.0.0.1,[::1]"
        hosts = [h for h in known.split(",") + allowed_hosts if h.strip()]
        os.environ["JAMKOLL_ALLOWED_HOSTS"] = ",".join(dict.fromkeys(hosts))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()


def serve(host: str = "127.0.0.1", port: int = 8000, store: Path | None = None,
          database_url: str | None = None) -> None:
    """Migrate the database and run the web app with Django's built-in server.

    Fine for one organisation's laptop or an intranet pilot; for production run
    ``jamkoll.web.wsgi:application`` under gunicorn or uwsgi behind HTTPS (``JAMKOLL_HTTPS=1``).
    """
    from django.core.management import call_command

    configure(store, database_url, allowed_hosts=[host] if host not in ("0.0.0.0", "::") else None)
    call_command("migrate", interactive=False, verbosity=0)
    # --insecure: serve the CSS and the API docs' scripts without DEBUG (the embedded default).
    addr = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    call_command("runserver", addr, "--noreload", "--insecure")


__all__ = ["configure", "serve"]
