"""Personnummer validation and keyed pseudonymisation.

A personnummer (or samordningsnummer) is checked with the Luhn checksum and
its date part, brought to the canonical 12-digit form, and replaced by
``HMAC-SHA256(secret, canonical)``. The secret belongs to the installation, not
to the data: it is created on first use in the user's configuration folder
(or where ``JAMKOLL_SECRET_FILE`` points) so that a copied store cannot be
re-identified by hashing candidate numbers, and so that the same person gets
the same pseudonym in every later import. The raw number is never stored,
returned in an error or logged.

References: Skatteverket, SKV 704 "Personnummer" and SKV 707 "Samordningsnummer".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

_SEPARATORS = re.compile(r"[\s\-]")


def secret_path() -> Path:
    """Where the installation's pseudonymisation key lives (outside every data store)."""
    override = os.environ.get("JAMKOLL_SECRET_FILE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "jamkoll" / "pseudonym.key"


def load_or_create_secret(path: Path | None = None) -> bytes:
    path = path or secret_path()
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    # Created with owner-only permissions before the key is written.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
    return key


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def canonical_personnummer(value: str, today: dt.date | None = None) -> str | None:
    """Return the 12-digit form ``YYYYMMDDNNNC``, or None when the number is not valid.

    Accepts 10 or 12 digits, with or without ``-``; ``+`` in a 10-digit number
    marks a person aged 100 or more. Samordningsnummer (day + 60) are valid.
    """
    today = today or dt.date.today()
    text = value.strip()
    plus = "+" in text
    digits = _SEPARATORS.sub("", text.replace("+", ""))
    if not digits.isdigit() or len(digits) not in (10, 12):
        return None
    if len(digits) == 12:
        full = digits
        if plus:
            return None
    else:
        yy = int(digits[:2])
        century = today.year // 100 * 100
        year = century + yy
        if year > today.year:
            year -= 100
        if plus:
            year -= 100
        full = f"{year:04d}{digits[2:]}"
    year, month, day = int(full[:4]), int(full[4:6]), int(full[6:8])
    if day > 60:  # samordningsnummer
        day -= 60
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return None
    if born > today:
        return None
    if not _luhn_ok(full[2:]):
        return None
    return full


def birth_year(canonical: str) -> int:
    return int(canonical[:4])


class Pseudonymiser:
    """Keyed pseudonyms for personnummer: ``P-`` followed by 20 hex digits of an HMAC."""

    def __init__(self, secret: bytes):
        self._secret = secret
        self._cache = lru_cache(maxsize=200_000)(self._compute)

    @classmethod
    def for_installation(cls) -> Pseudonymiser:
        return cls(load_or_create_secret())

    def _compute(self, canonical: str) -> str:
        digest = hmac.new(self._secret, canonical.encode("ascii"), hashlib.sha256).hexdigest()
        return "P-" + digest[:20]

    def pseudonym(self, canonical: str) -> str:
        return self._cache(canonical)

    def __repr__(self) -> str:  # never show the key
        return "Pseudonymiser(<secret>)"
