"""Personnummer validation and keyed pseudonyms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from stdnum.se import personnummer as stdnum_pnr

from jamkoll.demo.generator import synthetic_personnummer
from jamkoll.ingest.pseudonym import Pseudonymiser, canonical_personnummer, load_or_create_secret

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize("seed", range(5))
def test_valid_numbers_agree_with_python_stdnum(seed: int) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    for _ in range(200):
        born = dt.date(1930, 1, 1) + dt.timedelta(days=int(rng.integers(0, 30_000)))
        number = synthetic_personnummer(rng, born, bool(rng.integers(0, 2)))
        assert stdnum_pnr.is_valid(number)
        canonical = canonical_personnummer(number, TODAY)
        assert canonical == number.replace("-", "")
        # The 10-digit form with "-" (under 100) or "+" (100 or older) gives the same person.
        short = number[2:]
        if (TODAY - born).days < 365.25 * 100 - 2:
            assert canonical_personnummer(short, TODAY) == canonical
        else:
            assert canonical_personnummer(short.replace("-", "+"), TODAY) == canonical


def test_invalid_numbers_are_refused() -> None:
    assert canonical_personnummer("19850101-1235", TODAY) is None  # wrong check digit
    assert canonical_personnummer("19851301-1234", TODAY) is None  # month 13
    assert canonical_personnummer("abc", TODAY) is None
    assert canonical_personnummer("8501011234567", TODAY) is None  # 13 digits


def test_samordningsnummer_is_valid() -> None:
    # Day + 60 marks a samordningsnummer; checksum computed over the shifted day.
    nine = "850161123"
    total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(map(int, nine)))
    number = f"19{nine[:6]}-{nine[6:]}{(10 - total % 10) % 10}"
    assert canonical_personnummer(number, TODAY) == number.replace("-", "")


def test_pseudonym_is_stable_per_installation_and_differs_between_installations(tmp_path: Path) -> None:
    key = load_or_create_secret(tmp_path / "a.key")
    assert load_or_create_secret(tmp_path / "a.key") == key
    canonical = "198501011234"
    same = Pseudonymiser(key).pseudonym(canonical)
    assert same == Pseudonymiser(load_or_create_secret(tmp_path / "a.key")).pseudonym(canonical)
    other = Pseudonymiser(load_or_create_secret(tmp_path / "b.key")).pseudonym(canonical)
    assert same != other and same.startswith("P-") and canonical not in same
    assert "198501011234" not in repr(Pseudonymiser(key))
    assert oct((tmp_path / "a.key").stat().st_mode)[-3:] == "600"
