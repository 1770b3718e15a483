"""Problems found in input files, described so that a user can act on them (in Swedish)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``row`` is the row number the user sees in Excel or a text editor: the header
    is row 1, the first data row is row 2. ``value`` is the offending value as
    written, except for personnummer, which are never repeated: any number in any
    field that looks like one is masked when the problem is made
    (:func:`jamkoll.ingest.personal_data.mask_personnummer`).
    """

    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        from jamkoll.ingest.personal_data import mask_personnummer

        for name in ("file", "reason", "sheet", "column", "value"):
            text = getattr(self, name)
            if isinstance(text, str):
                masked = mask_personnummer(text)
                if masked is not text:
                    object.__setattr__(self, name, masked)

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        shown = f" (värde: {self.value!r})" if self.value is not None else ""
        return f"{self.location()}: {self.reason}{shown}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class ImportRejected(Exception):
    """Raised when input files cannot be imported; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self, limit: int = 1000) -> str:
        files = sorted({p.file for p in self.problems})
        lines = [f"Importen avbröts: {len(self.problems)} fel i {', '.join(files)}. Inget har sparats."]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … och {len(self.problems) - limit} fel till.")
        return "\n".join(lines)
