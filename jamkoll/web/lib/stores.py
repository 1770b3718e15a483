"""Where each organisation's data lives on disk, and what the web app mirrors from it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from jamkoll.ingest import Store


def store_path(org: Any) -> Path:
    """``<data dir>/stores/<org slug>/``: the organisation's analysis store (DuckDB)."""
    return Path(settings.JAMKOLL_STORES_DIR) / org.slug


def store_for(org: Any) -> Store:
    return Store(store_path(org))


def staging_root(org: Any) -> Path:
    """Checked uploads waiting for confirmation: ``<data dir>/staging/<org slug>/``."""
    return Path(settings.JAMKOLL_STAGING_DIR) / org.slug


def sync_interventions(org: Any) -> list[Any]:
    """Create or rename the organisation's :class:`Intervention` rows from its analysis store."""
    from jamkoll.web.accounts.models import Intervention

    store = store_for(org)
    if not store.exists():
        return []
    with store_lock(org), store.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT intervention_id, max(name) FROM ("
            "  SELECT intervention_id, name FROM interventions"
            "  UNION ALL SELECT DISTINCT intervention_id, NULL FROM enrolments"
            "  UNION ALL SELECT DISTINCT intervention_id, NULL FROM counts"
            ") WHERE intervention_id IS NOT NULL GROUP BY intervention_id ORDER BY intervention_id"
        ).fetchall()
    names = {str(iid): str(label or "") for iid, label in rows}
    known = {i.intervention_id: i for i in Intervention.objects.filter(organization=org)}
    result = []
    for iid, label in sorted(names.items()):
        item = known.get(iid)
        if item is None:
            item = Intervention.objects.create(organization=org, intervention_id=iid, name=label[:300])
        elif label and item.name != label[:300]:
            item.name = label[:300]
            item.save(update_fields=["name"])
        result.append(item)
    return result


_locks: dict[Path, threading.RLock] = {}
_locks_guard = threading.Lock()


def store_lock(org: Any) -> threading.RLock:
    """One lock per analysis store in this process.

    DuckDB refuses a read-write connection to a file that the same process has open read-only (and
    the other way round), so every use of a store in the web app (check, import, analysis) holds
    this lock. Between processes DuckDB's own file lock applies.
    """
    path = store_path(org).resolve()
    with _locks_guard:
        return _locks.setdefault(path, threading.RLock())
