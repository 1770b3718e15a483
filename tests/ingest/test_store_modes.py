"""The analysis store is created for its owner only (it holds pseudonymised personal data)."""

from __future__ import annotations

import os
from pathlib import Path

from jamkoll.ingest import Store


def test_a_new_store_is_for_its_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a usual umask: files 644, folders 755
    try:
        store = Store(tmp_path / "butik" / ".jamkoll")
        with store.connect() as con:
            con.execute("CHECKPOINT")
    finally:
        os.umask(old)
    assert oct(store.path.stat().st_mode & 0o777) == "0o700"
    assert oct(store.database.stat().st_mode & 0o777) == "0o600"
