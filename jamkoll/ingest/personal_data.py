"""Personal data minimisation at the door: personnummer, names and free text.

The analysis store holds pseudonyms, categories, dates and numbers, never who a person is. Input
files are what users have, and users' files carry more than the data contract asks for, so every
sheet is scanned before anything of it is kept:

* **Personnummer anywhere.** A cell that is a personnummer or samordningsnummer (10 or 12 digits,
  with or without century, with or without ``-``/``+``/space before the last four, also a number
  typed into Excel that lost a leading zero: 9 digits) and whose date and Luhn check digit are valid
  is personal data. Such values are allowed only in the declared personnummer column, which is
  pseudonymised; in any other column (the participant id among them), in any sheet, the file is
  refused with a message naming file, sheet and column. Checks: the date part (a samordningsnummer
  has 60 added to the day, Skatteverket SKV 707), and the Luhn check digit of the last ten digits
  with python-stdnum (``stdnum.luhn``; ``stdnum.se.personnummer`` itself rejects samordningsnummer).
* **Names and free text.** Columns whose header says they hold names, contact details or notes
  (``namn``, ``förnamn``, ``efternamn``, ``name``, ``kommentar``, ``anteckning``, ``note``,
  ``fritext``, ``adress``, ``telefon``, ``e-post`` and the like) are not imported when the contract
  does not know them: the import report says plainly that they were left out.
* **Nothing raw in messages.** :func:`mask_personnummer` hides every personnummer-like number in a
  text; :class:`jamkoll.ingest.problems.Problem` applies it to everything it carries.

The column scan is vectorised: only cells that can be a personnummer by their length and digits
(read directly from the Arrow buffers) are checked one by one, once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
from stdnum import luhn

from jamkoll.ingest.schema import normalise_header

# 6 or 8 digits of date, an optional separator, 4 digits; or 9 digits (a number whose leading zero
# Excel dropped); or 10 or 12 digits in one.
_WHOLE = re.compile(r"\s*(?:(\d{6}|\d{8})[-+ ]?(\d{4})|(\d{9}))\s*")
# The same inside a longer text (a message, a header): not part of a longer number.
_INSIDE = re.compile(r"(?<![\d])(?:(\d{6}|\d{8})[-+ ]?(\d{4})|(\d{9}))(?![\d])")
_SIX_DIGITS = re.compile(r"\d{6}")
MASK = "[personnummer dolt]"


def _digits(date_part: str | None, tail: str | None, nine: str | None) -> str:
    return "0" + nine if nine else f"{date_part}{tail}"


def _valid_date(digits: str) -> bool:
    """Whether the date part is a date (day + 60 for a samordningsnummer), in some century for
    a 10-digit number."""
    if len(digits) == 12:
        years = [int(digits[:4])]
        rest = digits[4:]
    else:
        years = [1900 + int(digits[:2]), 2000 + int(digits[:2])]
        rest = digits[2:]
    month, day = int(rest[:2]), int(rest[2:4])
    if day > 60:
        day -= 60
    for year in years:
        try:
            dt.date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def is_personnummer(value: object) -> bool:
    """True when ``value`` is a checksum-valid personnummer or samordningsnummer in any usual spelling."""
    if value is None:
        return False
    match = _WHOLE.fullmatch(str(value))
    if not match:
        return False
    digits = _digits(*match.groups())
    return _valid_date(digits) and luhn.is_valid(digits[-10:])


def _plausible(digits: str) -> bool:
    """A date part that could be a birth date: masked in messages whatever the check digit says
    (a mistyped personnummer is still one)."""
    return _valid_date(digits)


def mask_personnummer(text: str) -> str:
    """``text`` with every number that looks like a personnummer replaced by :data:`MASK`."""
    if not text or not _SIX_DIGITS.search(text):  # the common case, at C speed
        return text
    return _INSIDE.sub(lambda m: MASK if _plausible(_digits(*m.groups())) else m.group(0), text)


def contains_personnummer(text: str) -> bool:
    return any(_plausible(_digits(*m.groups())) for m in _INSIDE.finditer(text or ""))


# --- column scan --------------------------------------------------------------------------------

_DIGIT_LO, _DIGIT_HI = ord("0"), ord("9")
_IS_DIGIT = np.zeros(256, dtype=np.uint8)
_IS_DIGIT[_DIGIT_LO:_DIGIT_HI + 1] = 1


def personnummer_mask(values: pd.Series) -> np.ndarray:
    """A boolean per row: the cell is a checksum-valid personnummer (see :func:`is_personnummer`)."""
    array = pa.array(values, from_pandas=True) if not isinstance(values, pa.Array | pa.ChunkedArray) \
        else values
    if isinstance(array, pa.ChunkedArray):
        chunks = array.chunks
    else:
        chunks = [array]
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        chunks = [pa.array(pd.Series(values).astype(str), type=pa.large_string())]
    parts = [_chunk_mask(chunk) for chunk in chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _chunk_mask(chunk: pa.Array) -> np.ndarray:
    n = len(chunk)
    if n == 0:
        return np.zeros(0, dtype=bool)
    candidates = _candidates(chunk)
    positions = np.flatnonzero(candidates)
    mask = np.zeros(n, dtype=bool)
    if not len(positions):
        return mask
    picked = chunk.take(pa.array(positions))
    encoded = picked.dictionary_encode()
    verdict = np.array([is_personnummer(v) for v in encoded.dictionary.to_pylist()], dtype=bool)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    valid = np.zeros(len(positions), dtype=bool)
    filled = ~np.asarray(picked.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    valid[filled] = verdict[codes[filled].astype(np.int64)]
    mask[positions] = valid
    return mask


def _candidates(chunk: pa.Array) -> np.ndarray:
    """Cells that may be a personnummer: 9 to 15 bytes long, and digits at bytes 0, 4 and 5 (or a
    leading space, left to the exact check). Read from the Arrow buffers, without Python objects."""
    offsets_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offsets_type)[chunk.offset: chunk.offset + len(chunk) + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    lengths = np.diff(offsets)
    where = np.flatnonzero((lengths >= 9) & (lengths <= 24))
    if not len(where) or not len(data):
        return np.zeros(len(chunk), dtype=bool)
    starts = offsets[where].astype(np.int64)
    # Narrowed step by step: most columns fail at the first byte (letters) or the fifth (dates).
    first = data[starts]
    spaced = (first == 32) | (first == 9) | (first == 0xC2)  # a space, a tab, a UTF-8 no-break space
    keep = spaced | ((first >= _DIGIT_LO) & (first <= _DIGIT_HI))
    for k in (4, 5):
        at = data[starts + k]
        keep &= spaced | ((at >= _DIGIT_LO) & (at <= _DIGIT_HI))
    result = np.zeros(len(chunk), dtype=bool)
    result[where[keep]] = True
    return result


# --- names and free text ------------------------------------------------------------------------

# Normalised headers (see ``normalise_header``) of columns with names, contact details or notes.
_FREE_TEXT_EXACT = {normalise_header(h) for h in (
    "namn", "name", "förnamn", "efternamn", "tilltalsnamn", "mellannamn", "fullständigt namn",
    "first name", "last name", "full name", "given name", "surname", "family name", "firstname",
    "lastname", "kommentar", "kommentarer", "comment", "comments", "anteckning", "anteckningar",
    "note", "notes", "notering", "noteringar", "fritext", "free text", "beskrivning", "övrigt",
    "adress", "address", "gatuadress", "postadress", "postnummer", "ort", "telefon", "telefonnummer",
    "tel", "mobil", "mobilnummer", "phone", "e-post", "epost", "email", "e-mail", "mejl", "mail",
    "personnamn", "deltagarnamn", "deltagare namn", "kontaktperson",
)}
_FREE_TEXT_SUFFIXES = tuple(normalise_header(s) for s in ("namn", "name", "adress", "address", "kommentar",
                                                          "anteckning", "telefon", "epost", "email"))
_FREE_TEXT_PREFIXES = tuple(normalise_header(s) for s in ("kommentar", "anteckning", "fritext", "telefon",
                                                          "e-post", "epost", "email", "adress", "note"))
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")


def is_free_text_header(header: str) -> bool:
    """Whether a header announces names, contact details or notes."""
    key = normalise_header(header)
    return bool(key) and (key in _FREE_TEXT_EXACT or key.endswith(_FREE_TEXT_SUFFIXES)
                          or key.startswith(_FREE_TEXT_PREFIXES))


def looks_like_contact(values: Iterable[object], sample: int = 200) -> bool:
    """Whether most filled cells of a sample are e-mail addresses."""
    filled = [str(v).strip() for v in values if v is not None and str(v).strip()][:sample]
    return bool(filled) and sum(bool(_EMAIL.match(v)) for v in filled) * 2 > len(filled)


def embedded_personnummer_mask(values: pd.Series) -> np.ndarray:
    """A boolean per row: the cell holds a checksum-valid personnummer, alone or inside other text
    (an identifier built from one, a note).

    A personnummer has at least nine digits, so cells with fewer (counted on the Arrow buffers, one
    pass over the bytes) are passed over; the rest are checked once per distinct text.
    """
    array = pa.array(values, from_pandas=True)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pa.array(pd.Series(values).astype(str), type=pa.large_string())
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    parts = []
    for chunk in chunks:
        rows = np.zeros(len(chunk), dtype=bool)
        where = np.flatnonzero(_digit_counts(chunk) >= 9)
        if len(where):
            texts = chunk.take(pa.array(where)).to_pylist()
            verdict = {t: t is not None and any(is_personnummer(m.group(0)) for m in _INSIDE.finditer(t))
                       for t in set(texts)}
            rows[where] = [verdict[t] for t in texts]
        parts.append(rows)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _digit_counts(chunk: pa.Array) -> np.ndarray:
    """The number of ASCII digits in each cell, from the Arrow buffers (nulls count none)."""
    if len(chunk) == 0:
        return np.zeros(0, dtype=np.int64)
    offsets_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offsets_type)[chunk.offset: chunk.offset + len(chunk) + 1]
    if buffers[2] is None:
        return np.zeros(len(chunk), dtype=np.int64)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(buffers[2], dtype=np.uint8)[start:end]
    digits = np.zeros(len(data) + 1, dtype=np.int32 if len(data) < 2**31 else np.int64)
    np.cumsum(_IS_DIGIT[data], out=digits[1:])
    return digits[offsets[1:] - start] - digits[offsets[:-1] - start]
