"""Results computed once per store version and setting, then only read: the one cache of the web app.

Every figure a page shows from an organisation's analysis store (the analysis and its tables, the
charts, the years with data, the budget by sex, the goal follow-up, the portal's association figures)
is asked for through :func:`kept` under a *kind* and the *settings* it depends on. The key is made of
the Jämkoll version, the store's current version (:meth:`jamkoll.ingest.Store.fingerprint`), the
kind and the settings: an import or a rollback changes the fingerprint, so results of an earlier
version are simply never read again (:func:`forget` removes them from disk), and a setting kept in
the web app's database (a goal's year and measure, say) is part of the settings, so an edit is a new
key too. Nothing is ever invalidated in place, so no reader can see a stale figure and no reader
waits for a writer: an import writes the next store version beside the current one and the switch
is one atomic rename.

Results are kept in this process's memory (a small LRU per kind) and as a pickle under
``<data dir>/cache/<org slug>/<kind>/<key>.pickle``, which every process serving the app (several
``jamkoll serve --processes``, the background worker) shares: the worker computes them after each
import (:func:`jamkoll.web.front.tasks.compute_analyses`) and the pages read them. A page that finds
nothing kept (the first request after a change, before the worker is done) computes and keeps it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

import jamkoll
from jamkoll.web.lib.stores import store_for

log = logging.getLogger("jamkoll.web")
T = TypeVar("T")

# Entries kept in memory per kind: analyses are large (every table), the other results small.
MEMORY_ENTRIES = {"analysis": 16}
DEFAULT_MEMORY_ENTRIES = 256
_memory: dict[str, OrderedDict[str, Any]] = {}
_guard = threading.Lock()
# One computation per key and process at a time: other readers of the same key wait for it instead
# of computing it again (readers of other keys are not held up).
_computing: dict[str, threading.Lock] = {}


def cache_dir(org: Any) -> Path:
    """``<data dir>/cache/<org slug>/``: the organisation's kept results, one folder per kind."""
    return Path(settings.JAMKOLL_DATA_DIR) / "cache" / org.slug


def store_key(org: Any) -> str | None:
    """The current version of the organisation's store as a key part (None: no data yet)."""
    from jamkoll.ingest.store import VersionNotFound

    try:
        return store_for(org).fingerprint() or None  # "" when the current version has no file
    except VersionNotFound:
        return None


def _installation() -> str:
    """A fingerprint of the installation key (a one-way hash, never the key): published figures depend on
    it through the cell key method, so results kept under another key are not this installation's. Read
    once per key file (every result key asks for it)."""
    from jamkoll.ingest.pseudonym import secret_path

    return _fingerprint(str(secret_path()))


@functools.lru_cache(maxsize=16)
def _fingerprint(path: str) -> str:
    from jamkoll.ingest.pseudonym import load_or_create_secret

    return hashlib.sha256(b"jamkoll/kept-results\x00" + load_or_create_secret(Path(path))).hexdigest()[:16]


def result_key(org: Any, kind: str, setting: Any = None, version: str | None = None) -> str:
    version = version if version is not None else store_key(org) or ""
    text = f"{jamkoll.__version__}|{_installation()}|{org.slug}|{version}|{kind}|{setting!r}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _remember(kind: str, key: str, value: Any) -> None:
    with _guard:
        entries = _memory.setdefault(kind, OrderedDict())
        entries[key] = value
        entries.move_to_end(key)
        while len(entries) > MEMORY_ENTRIES.get(kind, DEFAULT_MEMORY_ENTRIES):
            entries.popitem(last=False)


def _recalled(kind: str, key: str) -> tuple[bool, Any]:
    with _guard:
        entries = _memory.get(kind)
        if entries is not None and key in entries:
            entries.move_to_end(key)
            return True, entries[key]
    return False, None


def kept(org: Any, kind: str, setting: Any, compute: Callable[[], T], *, version: str | None = None) -> T:
    """``compute()`` for the organisation's current store version and ``setting``, computed once.

    ``setting`` must have a ``repr`` that says everything the result depends on besides the store
    (a year, an intervention, a language, a goal's measure). ``version``: the store key when the
    caller already has it (a pinned version). Exceptions of ``compute`` are not kept.
    """
    key = result_key(org, kind, setting, version)
    found, value = _recalled(kind, key)
    if found:
        return value  # type: ignore[no-any-return]
    path = cache_dir(org) / kind / f"{key}.pickle"
    with _guard:
        computing = _computing.setdefault(key, threading.Lock())
    with computing:
        found, value = _recalled(kind, key)
        if found:
            return value  # type: ignore[no-any-return]
        loaded = False
        if path.exists():
            try:
                # Written by this app into its own data folder, never from uploaded content.
                value = pickle.loads(path.read_bytes())  # noqa: S301
                loaded = True
            except Exception:  # noqa: BLE001 - an old, partial or damaged entry: compute again
                log.warning("Ignoring unreadable kept result %s/%s", kind, path.name)
        if not loaded:
            value = compute()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
                tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                tmp.replace(path)  # atomic: a reader sees the whole entry or none
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                log.warning("Could not keep %s result on disk", kind, exc_info=True)
        _remember(kind, key, value)
    with _guard:
        _computing.pop(key, None)
    return value  # type: ignore[no-any-return]


def forget(org: Any) -> None:
    """Remove the organisation's kept results (after an import or a rollback: none can be read again)."""
    folder = cache_dir(org)
    if folder.exists():
        for path in folder.iterdir():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.suffix == ".pickle":  # written by earlier versions of Jämkoll
                path.unlink(missing_ok=True)
    with _guard:
        _memory.clear()
