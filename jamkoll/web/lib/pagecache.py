"""Rendered pages kept per user session and data generation: the read-mostly pages answer from memory.

The dashboards, the findings list and the portal are read far more often than anything they show
changes; rendering one costs 7–30 ms of templates and queries, which is what limits how many users
two cores serve (issue 14, ``bench/bench_load.py``). :func:`cached_page` keeps each page's rendered
answer in this process's memory and serves it again while nothing it could show has changed.

A kept page is read again only under the same

- host, path and query string, language and HTMX request headers;
- user and session: the user's primary key, a hash of the session's data (a page may show what the
  session holds, e.g. a findings update under way) and of the CSRF secret (the page's forms carry a
  token made from it), so a page is only ever served to the session it was rendered for;
- *data generation*: every committed write to the web app's database (any table but the sessions and
  the audit log, which no kept page shows) gives a new generation, seen by every process through one
  small file (:func:`changed`), whatever made the write (a model's ``save``, a queryset's ``update``,
  raw SQL, the background worker): writes are noticed at the database connection (an
  ``execute_wrapper``), not by model signals;
- analysis store version of the page's organisation (:func:`jamkoll.web.lib.results.store_key`), for
  imports made outside the web app (``jamkoll import``);
- day, and at most :data:`MAX_AGE` seconds: for what depends on the clock alone (overdue actions,
  upcoming meetings).

Nothing is kept when the answer is not a plain 200 page, sets a cookie, or when messages are waiting
to be shown (they are shown once). The memory is bounded (:data:`MAX_BYTES` per process, least
recently used first out). Each server process keeps its own pages; the generation file is shared.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation

import jamkoll

#: Seconds a kept page may be served at most (for what changes with the clock alone).
MAX_AGE = 120.0
#: Bytes of kept pages per process.
MAX_BYTES = int(os.environ.get("JAMKOLL_PAGE_CACHE_BYTES") or 64 * 1024 * 1024)
#: $JAMKOLL_PAGE_CACHE=0 turns it off (every page rendered anew).
ENABLED = os.environ.get("JAMKOLL_PAGE_CACHE", "1") not in ("0", "false", "no")
#: Tables whose writes change no kept page: sessions (their data is part of the key) and the audit log.
NOT_SHOWN = ("django_session", "lib_auditevent")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP", "TRUNCATE")


@dataclass(frozen=True)
class _Kept:
    expires: float
    content: bytes
    headers: tuple[tuple[str, str], ...]
    xframe_exempt: bool
    csrf_used: bool


_pages: OrderedDict[str, _Kept] = OrderedDict()
_bytes = 0
_guard = threading.Lock()
_counter = 0
# Writes seen by this process, committed or not: a page rendered after its own write (in this process, or
# inside a transaction that has not committed yet, as in tests) is never one kept from before.
_local_writes = 0


def _generation_file() -> Path:
    return Path(settings.JAMKOLL_DATA_DIR) / "cache" / "generation"


def generation() -> str:
    """The current data generation (changes with every committed write; "" before the first)."""
    try:
        return _generation_file().read_text()
    except OSError:
        return ""


def changed() -> None:
    """Start a new data generation: no page kept so far is served again, in any process."""
    global _counter
    path = _generation_file()
    with _guard:
        _counter += 1
        token = f"{time.time_ns()}-{os.getpid()}-{threading.get_ident()}-{_counter}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"generation.{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(token)
        tmp.replace(path)
    except OSError:  # pragma: no cover - a read-only data folder: nothing can be kept safely either
        clear()


def clear() -> None:
    """Forget every page this process keeps."""
    global _bytes
    with _guard:
        _pages.clear()
        _bytes = 0


def _writes(sql: str) -> bool:
    head = sql.lstrip()[:9].upper()
    return head.startswith(_WRITES) and not any(table in sql for table in NOT_SHOWN)


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """A connection's execute wrapper: a write starts a new generation once its transaction commits."""
    global _local_writes
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _writes(sql):
        _local_writes += 1
        connection = context["connection"]
        pending = getattr(connection, "run_on_commit", [])
        if not any(len(item) > 1 and item[1] is changed for item in pending):
            # On the connection itself: some (Django's own, creating a test database) have no alias
            # among the configured databases.
            try:
                connection.on_commit(changed)
            except Exception:  # noqa: BLE001 - manual transaction management: a new generation now (and
                changed()  # pages rendered before its commit may be kept again: at most MAX_AGE)
    return result


def _watch_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def connect_signals() -> None:
    """Watch every database connection of this process for writes (called once, at start-up)."""
    connection_created.connect(_watch_connection, dispatch_uid="jamkoll-page-cache")


def _key(request: HttpRequest, parts: tuple[Any, ...]) -> str:
    session = getattr(request, "session", None)
    session_data = repr(sorted(session.items())) if session is not None else ""
    user = getattr(request, "user", None)
    text = "\x1f".join(str(p) for p in (
        jamkoll.__version__, request.scheme, request.get_host(), request.get_full_path(), translation.get_language(),
        request.headers.get("HX-Request", ""), request.headers.get("HX-Target", ""),
        getattr(user, "pk", None), session_data, request.META.get("CSRF_COOKIE", ""),
        generation(), _local_writes, date.today().isoformat(), *parts))
    return hashlib.sha256(text.encode()).hexdigest()


def _recall(key: str) -> _Kept | None:
    with _guard:
        kept = _pages.get(key)
        if kept is None:
            return None
        if kept.expires < time.monotonic():
            _drop(key)
            return None
        _pages.move_to_end(key)
        return kept


def _drop(key: str) -> None:
    global _bytes
    kept = _pages.pop(key, None)
    if kept is not None:
        _bytes -= len(kept.content)


def _keep(key: str, kept: _Kept) -> None:
    global _bytes
    if len(kept.content) > MAX_BYTES // 4:
        return
    with _guard:
        _drop(key)
        _pages[key] = kept
        _bytes += len(kept.content)
        while _bytes > MAX_BYTES and _pages:
            _drop(next(iter(_pages)))


def _answer(request: HttpRequest, kept: _Kept) -> HttpResponse:
    response = HttpResponse(kept.content)
    for name, value in kept.headers:
        response.headers[name] = value
    if kept.xframe_exempt:
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
    if kept.csrf_used:
        get_token(request)  # as the page's rendering did: the CSRF cookie's expiry is renewed
    return response


def serve_kept(request: HttpRequest, render: Callable[[], HttpResponseBase], *parts: Any) -> HttpResponseBase:
    """``render()``'s answer, or the one kept for this request; ``parts``: what else the page depends on."""
    if not ENABLED or request.method != "GET" or len(get_messages(request)):
        return render()
    secret_before = request.META.get("CSRF_COOKIE")
    key = _key(request, parts)
    kept = _recall(key)
    if kept is not None:
        return _answer(request, kept)
    response = render()
    if (response.status_code != 200 or response.streaming or response.cookies or not isinstance(response, HttpResponse)
            or (secret_before is None and "CSRF_COOKIE" in request.META)):
        return response
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() != "content-length")
    _keep(key, _Kept(time.monotonic() + MAX_AGE, response.content, headers,
                     bool(getattr(response, "xframe_options_exempt", False)),
                     bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))))
    return response


def cached_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Keep a read-only page's answer (see the module's docstring); for views outside an organisation."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return serve_kept(request, lambda: view(request, *args, **kwargs), args, sorted(kwargs.items()))

    return wrapper


def cached_org_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """:func:`cached_page` for an organisation's page (under ``org_view``): its store version is part of the key."""
    from jamkoll.web.lib.results import store_key

    @wraps(view)
    def wrapper(request: HttpRequest, org: Any, member: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return serve_kept(request, lambda: view(request, org, member, *args, **kwargs),
                          org.pk, member.pk, store_key(org), args, sorted(kwargs.items()))

    return wrapper
