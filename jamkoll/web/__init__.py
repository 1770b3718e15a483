"""The Jämkoll web app (Django): organisations, uploads, dashboards, findings register, reports, API.

The library (``jamkoll.ingest``, ``jamkoll.analysis``, ``jamkoll.reports``) never imports Django;
this package is the only place that does. Start it with :func:`serve`, or run Django commands with
``python -m jamkoll.web <command>`` (``migrate``, ``createsuperuser``, ``load_demo``, ...).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SETTINGS_MODULE = "jamkoll.web.settings"
# The headers taken from a trusted reverse proxy: the client's address and the scheme (https). Host is passed on
# by the proxy itself (nginx ``proxy_set_header Host $host``; Caddy does by default).
TRUSTED_PROXY_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto"})


def trusted_proxy_address(value: str | None) -> str | None:
    """``JAMKOLL_TRUSTED_PROXY`` / ``--trusted-proxy`` as an address: None when unset or off; ``1``/``true``
    (the older on/off form of the setting) mean a proxy on this machine, ``127.0.0.1``."""
    value = (value or "").strip()
    if not value or value.lower() in {"0", "false", "no", "off", "nej"}:
        return None
    return "127.0.0.1" if value.lower() in {"1", "true", "yes", "on", "ja"} else value


def proxy_options(trusted_proxy: str | None) -> dict[str, object]:
    """waitress's settings for a reverse proxy at ``trusted_proxy`` (an IP address, or ``*`` for any peer).

    From that peer only, waitress takes the client's address from the last entry of ``X-Forwarded-For``
    (the one the proxy appended; earlier ones are whatever the client sent) into ``REMOTE_ADDR``, which
    the audit log and the login throttle read, and the scheme from ``X-Forwarded-Proto``. From any other
    peer it removes every ``X-Forwarded-*``/``Forwarded`` header, so nobody can claim an address or HTTPS.
    Without a trusted proxy the headers are removed for everyone.
    """
    if not trusted_proxy:
        return {"clear_untrusted_proxy_headers": True}
    return {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
            "trusted_proxy_headers": set(TRUSTED_PROXY_HEADERS), "clear_untrusted_proxy_headers": True}


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
          database_url: str | None = None, threads: int = 8, trusted_proxy: str | None = None,
          workers: int = 1, processes: int = 1) -> None:
    """Migrate the database and serve the web app with waitress (a production WSGI server).

    Static files come from WhiteNoise, so nothing else is needed on one organisation's machine or an
    intranet server; on the internet put it behind an HTTPS proxy (``JAMKOLL_HTTPS=1`` and
    ``trusted_proxy`` = the proxy's address, default ``$JAMKOLL_TRUSTED_PROXY``; see docs/deployment.md).

    ``processes`` server processes (Linux) share one listening socket, each with ``threads`` threads:
    Python runs one thread at a time per process, so pages are answered on as many cores as there are
    processes (docs/deployment.md, "Processes and threads", for the measurements).
    """
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    proxy = trusted_proxy_address(trusted_proxy if trusted_proxy is not None
                                  else os.environ.get("JAMKOLL_TRUSTED_PROXY"))
    # The settings read it too: Django then trusts X-Forwarded-Proto, which waitress passes on only from the proxy.
    os.environ["JAMKOLL_TRUSTED_PROXY"] = proxy or ""
    # Background work (confirmed uploads) is queued in the database and run by a worker process
    # started here, so that no request waits for it (JAMKOLL_TASKS=immediate runs it in the request).
    # ``workers`` task worker processes (0: every task runs in its request).
    os.environ.setdefault("JAMKOLL_TASKS", "database" if workers > 0 else "immediate")
    processes = max(1, processes) if hasattr(os, "fork") else 1
    if processes > 1:  # counters such as rate limits must be shared by the processes (settings: CACHES)
        os.environ["JAMKOLL_SHARED_CACHE"] = "1"
    configure(store, database_url, allowed_hosts=[host] if host not in ("0.0.0.0", "::") else None)
    call_command("migrate", interactive=False, verbosity=0)
    from jamkoll.web.front.middleware import body_limit

    application = get_wsgi_application()
    # waitress refuses a body declared over the limit before receiving it (and stops reading one
    # that grows past it), so an oversized upload never fills memory or the temporary disk.
    options = {"threads": threads, "ident": "Jamkoll", "max_request_body_size": body_limit(), **proxy_options(proxy)}
    children: list[int] = []
    listen: dict[str, Any] = {"host": host, "port": port}
    if processes > 1:
        listen, children = _fork_servers(application, host, port, processes - 1, options)
    # Started after forking: a child process never inherits their threads or processes.
    started = [start_worker() for _ in range(max(1, workers))] if os.environ["JAMKOLL_TASKS"] == "database" else []
    start_sweeper()
    try:
        waitress_serve(application, **listen, **options)
    finally:
        for pid in children:
            _stop_child(pid)
        for worker in started:
            worker.terminate()
        for worker in started:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


def _fork_servers(application: Any, host: str, port: int, count: int,
                  options: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """Bind the listening socket once and fork ``count`` more server processes serving it.

    Each child is told to stop when the parent ends (Linux). Returns the parent's waitress arguments
    (the shared socket) and the children's process ids.
    """
    import socket

    from django.db import connections
    from waitress import serve as waitress_serve

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024)
    connections.close_all()  # no database connection is shared with a child
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                _die_with_parent()
                waitress_serve(application, sockets=[sock], **options)
            except BaseException:  # noqa: BLE001 - reported, then the child ends
                logging.getLogger("jamkoll.web").exception("Server process %s stopped", os.getpid())
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    return {"sockets": [sock]}, children


def _stop_child(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _die_with_parent() -> None:  # pragma: no cover - runs in a child
    """On Linux, have this process sent SIGTERM when its parent ends, however that happens."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_sweeper(every_seconds: float = 3600) -> threading.Thread:
    """A daemon thread deleting expired and orphaned staged uploads now and then every hour."""
    def sweep() -> None:
        from django.db import close_old_connections

        from jamkoll.web.front.uploads import sweep_staging

        while True:
            try:
                sweep_staging()
            except Exception:  # noqa: BLE001 - logged; the next round tries again
                logging.getLogger("jamkoll.web").exception("Sweeping staged uploads failed")
            finally:
                close_old_connections()
            time.sleep(every_seconds)

    thread = threading.Thread(target=sweep, name="jamkoll-sweep-uploads", daemon=True)
    thread.start()
    return thread


def start_worker() -> subprocess.Popen[bytes]:
    """The tasks worker (``db_worker`` of django-tasks-db) as a child process with the server's settings.

    On Linux it is told to stop when the server process ends, however that happens.
    """
    command = [sys.executable, "-m", "jamkoll.web", "db_worker", "--interval", "0.5", "--no-startup-delay"]
    return subprocess.Popen(command, env=dict(os.environ),
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)


__all__ = ["configure", "proxy_options", "serve", "start_sweeper", "start_worker", "trusted_proxy_address"]
