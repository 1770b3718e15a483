from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def _shared_dir() -> Path:
    """The project's shared folder (data contract, reference data): ``$JAMKOLL_SHARED_DIR``, else
    ``../shared`` beside the checkout, else the workplace's ``/work/shared`` (a clone made elsewhere)."""
    if os.environ.get("JAMKOLL_SHARED_DIR"):
        return Path(os.environ["JAMKOLL_SHARED_DIR"])
    candidates = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
    return next((c for c in candidates if (c / "reference").is_dir()), candidates[0])


SHARED = _shared_dir()
REFERENCE = SHARED / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Published reference data (``../shared/reference``), read where it lies, never copied."""
    assert REFERENCE.is_dir(), f"reference data not found at {REFERENCE}; set JAMKOLL_SHARED_DIR"
    return REFERENCE


@pytest.fixture(autouse=True)
def installation_secret(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own installation key, outside any store."""
    path = tmp_path_factory.mktemp("config") / "pseudonym.key"
    monkeypatch.setenv("JAMKOLL_SECRET_FILE", str(path))
    yield path


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo association written once per test session, as `jamkoll demo-data` writes it."""
    from jamkoll.demo import write_demo

    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Path:
    """The demo association imported into a store (from the XLSX workbook)."""
    import os

    from jamkoll.ingest import Store, import_files

    key = tmp_path_factory.mktemp("demo-config") / "pseudonym.key"
    old = os.environ.get("JAMKOLL_SECRET_FILE")
    os.environ["JAMKOLL_SECRET_FILE"] = str(key)
    try:
        store = tmp_path_factory.mktemp("demo-store")
        import_files([demo_dir / "xlsx" / "demoforbund.xlsx"], Store(store))
    finally:
        if old is None:
            os.environ.pop("JAMKOLL_SECRET_FILE", None)
        else:
            os.environ["JAMKOLL_SECRET_FILE"] = old
    return store
