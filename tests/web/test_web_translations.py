"""English pages are entirely English: every message of the catalogue is translated and none is left
fuzzy (gettext does not use a fuzzy translation, so the page would show Swedish), and the compiled
catalogue is the one of the source file."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "jamkoll" / "web" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return [block for block in PO.read_text(encoding="utf-8").split("\n\n") if "msgid" in block]


def test_no_message_is_fuzzy_or_untranslated() -> None:
    entries = _entries()[1:]  # the first is the header
    assert len(entries) > 1000
    fuzzy = [e for e in entries if re.search(r"^#,.*\bfuzzy\b", e, re.M)]
    assert not fuzzy, fuzzy[:3]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\Z', e.strip(), re.M)
                    and not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.M)]
    assert not untranslated, untranslated[:3]


def _text(quoted: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', quoted)
    return "".join(ast.literal_eval(f'"{part}"') for part in parts)


def test_compiled_catalogue_matches_the_source() -> None:
    catalogue = gettext.translation("django", localedir=str(LOCALE), languages=["en"])
    checked = 0
    for entry in _entries()[1:]:
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', entry, re.M)
        assert msgid and msgstr, entry
        assert catalogue.gettext(_text(msgid[1])) == _text(msgstr[1]), _text(msgid[1])
        checked += 1
    assert checked > 1000
