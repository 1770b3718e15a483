"""Import participant data: read, validate, link, pseudonymise, then store all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.ingest.pseudonym import Pseudonymiser, birth_year
from jamkoll.ingest.readers import read_file
from jamkoll.ingest.schema import SEX_CODES, WIDE
from jamkoll.ingest.store import STORE_SCHEMA, Store
from jamkoll.ingest.validate import ParsedSheet, detect_table, parse_sheet


def first_row_of(frame: pd.DataFrame, key: str, rows: pd.Series) -> pd.Series:
    """For the marked rows, the user's row number of the first row with the same key (as text)."""
    firsts = frame.drop_duplicates(key, keep="first").set_index(key)["_row"]
    return frame.loc[rows.to_numpy(dtype=bool), key].map(firsts).astype(str).reindex(frame.index)

PROVENANCE = ["_file", "_sheet", "_row"]


@dataclass
class ImportReport:
    """What an import read (or would read): rows per table, people by sex, warnings."""

    files: list[str]
    rows: dict[str, int]
    sex: dict[str, int]
    interventions: list[str]
    warnings: list[str] = field(default_factory=list)
    stored: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files, "rows": self.rows, "sex": self.sex,
            "interventions": self.interventions, "warnings": self.warnings, "stored": self.stored,
        }


@dataclass
class Batch:
    tables: dict[str, pd.DataFrame]
    replaced_interventions: set[str]
    described_interventions: set[str]
    report: ImportReport


def import_files(paths: Iterable[Path | str], store: Store, *, pseudonymiser: Pseudonymiser | None = None,
                 today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> ImportReport:
    """Import files into the store; raise :class:`ImportRejected` (nothing stored) on any problem."""
    batch = load_files(paths, store, pseudonymiser=pseudonymiser, today=today, progress=progress)
    summary = batch.report.to_dict()
    store.apply(batch.tables, batch.replaced_interventions, batch.described_interventions,
                batch.report.files, summary)
    batch.report.stored = True
    return batch.report


def validate_files(paths: Iterable[Path | str], store: Store | None = None, *,
                   pseudonymiser: Pseudonymiser | None = None, today: dt.date | None = None) -> ImportReport:
    """Check files as an import would, without storing anything."""
    return load_files(paths, store or Store("/nonexistent-jamkoll-store"),
                      pseudonymiser=pseudonymiser, today=today).report


def load_files(paths: Iterable[Path | str], store: Store, *, pseudonymiser: Pseudonymiser | None = None,
               today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> Batch:
    today = today or dt.date.today()
    pseudonymiser = pseudonymiser or Pseudonymiser.for_installation()
    problems: list[Problem] = []
    warnings: list[str] = []
    parsed: list[ParsedSheet] = []
    files = [Path(p) for p in paths]
    for path in files:
        if progress:
            progress(path.name)
        sheets, read_problems = read_file(path)
        problems += read_problems
        for sheet in sheets:
            table = detect_table(sheet)
            if table is None:
                problems.append(Problem(
                    sheet.file,
                    "Kan inte avgöra vilken tabell bladet innehåller: rubrikerna "
                    f"({', '.join(map(str, sheet.frame.columns[:8]))}) passar inte dataformatet. Se "
                    "dataformatet för insatser, deltagare, inskrivningar, delinsatser, antal och målgrupp.",
                    sheet.sheet,
                ))
                continue
            result = parse_sheet(sheet, table, today)
            problems += result.problems
            warnings += result.warnings
            parsed.append(result)
    if problems:
        raise ImportRejected(problems)
    linker = _Linker(parsed, store, pseudonymiser)
    tables = linker.link()
    if linker.problems:
        raise ImportRejected(linker.problems)
    report = ImportReport(
        files=[p.name for p in files],
        rows={name: len(frame) for name, frame in tables.items() if name != "extra_values"},
        sex=_sex_counts(tables),
        interventions=sorted(linker.replaced | linker.described),
        warnings=warnings,
    )
    return Batch(tables, linker.replaced, linker.described, report)


def _sex_counts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    participants = tables.get("participants")
    counts = {code: 0 for code in SEX_CODES}
    if participants is not None and not participants.empty:
        for code, n in participants["sex"].value_counts().items():
            counts[str(code)] = int(n)
    return counts


def _with_provenance(result: ParsedSheet) -> pd.DataFrame:
    frame = result.frame.copy()
    frame["_file"] = result.sheet.file
    frame["_sheet"] = result.sheet.sheet
    frame["_row"] = frame.index.astype(int)
    return frame.reset_index(drop=True)


def enrolment_key(intervention_id: str, participant_id: str, start: object) -> str:
    """A stable generated enrolment id, the same for the same enrolment in any later import."""
    digest = hashlib.sha256(f"{intervention_id}|{participant_id}|{start}".encode()).hexdigest()[:12]
    return f"{intervention_id}-{digest}"


class _Linker:
    """Join the sheets into the stored tables and check every reference between them."""

    def __init__(self, parsed: list[ParsedSheet], store: Store, pseudonymiser: Pseudonymiser):
        self.parsed = parsed
        self.store = store
        self.pseudonymiser = pseudonymiser
        self.problems: list[Problem] = []
        self.replaced: set[str] = set()
        self.described: set[str] = set()
        self.known = store.known_ids()

    def problem(self, frame: pd.DataFrame, mask: pd.Series, reason: str | pd.Series, column: str,
                value: pd.Series | None = None) -> None:
        for i in mask.index[mask.to_numpy(dtype=bool)]:
            text = reason if isinstance(reason, str) else str(reason.at[i])
            shown = None if value is None or pd.isna(value.at[i]) else str(value.at[i])
            self.problems.append(Problem(
                str(frame.at[i, "_file"]), text, _sheet_name(frame.at[i, "_sheet"]), int(frame.at[i, "_row"]),
                column, shown,
            ))

    def sheets_of(self, name: str) -> list[ParsedSheet]:
        return [p for p in self.parsed if p.table.name == name]

    def frame_of(self, name: str) -> pd.DataFrame:
        frames = [_with_provenance(p) for p in self.sheets_of(name)]
        columns = [c.name for c in (WIDE if name == "wide" else _table(name)).columns]
        if not frames:
            return pd.DataFrame(columns=columns + PROVENANCE)
        return pd.concat([f.reindex(columns=columns + PROVENANCE) for f in frames], ignore_index=True)

    def link(self) -> dict[str, pd.DataFrame]:
        wide_sheets = self.sheets_of("wide")
        wide = self.frame_of("wide")
        participants = pd.concat(
            [self.frame_of("participants"), wide.reindex(columns=self.frame_of("participants").columns)],
            ignore_index=True,
        )
        participants = self._participants(participants, n_plain=sum(len(p.frame) for p in
                                                                     self.sheets_of("participants")))
        local = self.store.local_id_map()
        local.update(dict(zip(participants["local_id"].dropna(), participants.loc[
            participants["local_id"].notna(), "participant_id"], strict=True)))
        enrolment_columns = [c for c in self.frame_of("enrolments").columns]
        enrolments = pd.concat([self.frame_of("enrolments"), wide.reindex(columns=enrolment_columns)],
                               ignore_index=True)
        interventions, budgets = self._interventions(self.frame_of("interventions"))
        enrolments = self._enrolments(enrolments, participants, local, interventions)
        components = self._components(self.frame_of("components"), enrolments, wide, wide_sheets, local)
        counts = self._counts(self.frame_of("counts"), interventions)
        reference = self._unique(self.frame_of("reference_population"), ["year", "municipality_code", "group"],
                                 "Raden finns redan för samma år, kommun och grupp", "group")
        extras = self._extras(participants, enrolments, wide_sheets)
        self.replaced |= set(enrolments["intervention_id"]) | set(counts["intervention_id"])
        self.replaced |= set(components["intervention_id"].dropna())
        tables = {
            "interventions": interventions, "budgets": budgets, "participants": participants,
            "enrolments": enrolments, "components": components, "counts": counts,
            "reference_population": reference, "extra_values": extras,
        }
        return {name: _stored(name, frame) for name, frame in tables.items()}

    # -- participants --------------------------------------------------------------------------------
    def _participants(self, frame: pd.DataFrame, n_plain: int) -> pd.DataFrame:
        frame = frame.copy()
        pnr = frame["personnummer"]
        has_pnr = pnr.notna()
        frame["local_id"] = frame["participant_id"]
        frame.loc[has_pnr, "participant_id"] = [self.pseudonymiser.pseudonym(v) for v in pnr[has_pnr]]
        no_birth = has_pnr & frame["birth_year"].isna()
        frame["birth_year"] = frame["birth_year"].astype("Int64")
        frame.loc[no_birth, "birth_year"] = [birth_year(v) for v in pnr[no_birth]]
        frame["personnummer"] = None  # the canonical number leaves memory here
        self.problem(frame, frame["participant_id"].isna(),
                     "Raden saknar både deltagar_id och personnummer.", "deltagar_id / personnummer")
        attributes = ["participant_id", "sex", "birth_year", "education", "born_abroad", "disability",
                      "municipality_code"]
        plain = frame.index < n_plain
        dup_plain = plain & frame.duplicated("participant_id", keep="first") & frame["participant_id"].notna()
        first = first_row_of(frame, "participant_id", dup_plain)
        self.problem(frame, dup_plain, "Samma deltagare finns redan på rad " + first + " (dubblett).",
                     "deltagar_id / personnummer")
        # In a wide sheet a participant repeats once per enrolment; the repeats must agree.
        distinct = frame.drop_duplicates(attributes)
        conflict = distinct.duplicated("participant_id", keep="first") & distinct["participant_id"].notna()
        conflict_rows = pd.Series(False, index=frame.index)
        conflict_rows[distinct.index[conflict.to_numpy()]] = True
        self.problem(frame, conflict_rows & ~dup_plain,
                     "Samma deltagare har olika uppgifter (kön, födelseår m.m.) på olika rader.",
                     "deltagar_id / personnummer")
        return frame.drop_duplicates("participant_id", keep="first")

    # -- interventions -------------------------------------------------------------------------------
    def _interventions(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        dup = frame.duplicated(["intervention_id", "year"], keep="first")
        self.problem(frame, dup, "Insatsen finns redan på en tidigare rad (samma insats_id och år).",
                     "insats_id", frame["intervention_id"])
        described = frame.drop_duplicates(["intervention_id", "name"])
        conflict = described.duplicated("intervention_id", keep="first")
        self.problem(described, conflict, "Samma insats_id har olika namn på olika rader.", "namn",
                     described["name"])
        self.described = set(frame["intervention_id"].dropna())
        budgets = frame.loc[frame["budget_sek"].notna(), ["intervention_id", "year", "budget_sek"]]
        interventions = frame.drop_duplicates("intervention_id", keep="first")
        return interventions, budgets

    # -- enrolments ----------------------------------------------------------------------------------
    def _enrolments(self, frame: pd.DataFrame, participants: pd.DataFrame, local: dict[str, str],
                    interventions: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        has_pnr = frame["personnummer"].notna()
        key = frame["participant_id"].map(local).where(frame["participant_id"].notna(), None)
        key = key.where(key.notna(), frame["participant_id"].where(
            frame["participant_id"].isin(self.known["participants"]), None))
        key[has_pnr] = [self.pseudonymiser.pseudonym(v) for v in frame.loc[has_pnr, "personnummer"]]
        frame["personnummer"] = None
        known_people = set(participants["participant_id"].dropna()) | self.known["participants"]
        unknown = key.isna() | ~key.isin(known_people)
        self.problem(frame, unknown & (frame["participant_id"].notna() | has_pnr),
                     "Inskrivningen pekar på en deltagare som inte finns i deltagarfilen eller i databasen.",
                     "deltagar_id / personnummer", frame["participant_id"])
        self.problem(frame, frame["participant_id"].isna() & ~has_pnr,
                     "Raden saknar både deltagar_id och personnummer.", "deltagar_id / personnummer")
        frame["participant_id"] = key
        known_interventions = set(interventions["intervention_id"].dropna()) | self.known["interventions"]
        self.problem(frame, frame["intervention_id"].notna() & ~frame["intervention_id"].isin(known_interventions),
                     "Inskrivningen pekar på en insats som inte finns i insatsfilen eller i databasen.",
                     "insats_id", frame["intervention_id"])
        missing = frame["enrolment_id"].isna()
        frame.loc[missing, "enrolment_id"] = [
            enrolment_key(i, p, s) for i, p, s in
            zip(frame.loc[missing, "intervention_id"], frame.loc[missing, "participant_id"],
                frame.loc[missing, "start_date"], strict=True)
        ]
        dup = frame.duplicated("enrolment_id", keep="first")
        first = first_row_of(frame, "enrolment_id", dup)
        self.problem(frame, dup, "Inskrivnings-id:t finns redan på rad " + first + " (dubblett).",
                     "inskrivnings_id", frame["enrolment_id"])
        return frame

    # -- components ----------------------------------------------------------------------------------
    def _components(self, frame: pd.DataFrame, enrolments: pd.DataFrame, wide: pd.DataFrame,
                    wide_sheets: list[ParsedSheet], local: dict[str, str]) -> pd.DataFrame:
        frame = frame.copy()
        by_id = enrolments.set_index("enrolment_id")["intervention_id"]
        pair = enrolments.drop_duplicates(["participant_id", "intervention_id"], keep=False)
        by_pair = dict(zip(zip(pair["participant_id"], pair["intervention_id"], strict=True),
                           pair["enrolment_id"], strict=True))
        person = frame["participant_id"].map(local).where(frame["participant_id"].notna(), None)
        has_pnr = frame["personnummer"].notna()
        person[has_pnr] = [self.pseudonymiser.pseudonym(v) for v in frame.loc[has_pnr, "personnummer"]]
        frame["personnummer"] = None
        need = frame["enrolment_id"].isna()
        frame.loc[need, "enrolment_id"] = [
            by_pair.get((p, i)) for p, i in zip(person[need], frame.loc[need, "intervention_id"], strict=True)
        ]
        stored = self.known["enrolments"]
        found = frame["enrolment_id"].isin(by_id.index) | frame["enrolment_id"].isin(stored)
        self.problem(frame, ~found,
                     "Delinsatsen pekar på en inskrivning som inte finns (ange inskrivnings_id, eller deltagare "
                     "och insats_id för en entydig inskrivning).", "inskrivnings_id", frame["enrolment_id"])
        frame["intervention_id"] = frame["enrolment_id"].map(by_id).where(
            frame["enrolment_id"].isin(by_id.index), frame["intervention_id"])
        parts = [frame]
        if wide_sheets:
            offset = 0
            for sheet in wide_sheets:
                n = len(sheet.frame)
                rows = enrolments.iloc[len(enrolments) - len(wide) + offset: len(enrolments) - len(wide) + offset + n]
                for component, flags in sheet.components.items():
                    given = flags.to_numpy(dtype=bool)
                    parts.append(pd.DataFrame({
                        "enrolment_id": rows["enrolment_id"].to_numpy()[given],
                        "intervention_id": rows["intervention_id"].to_numpy()[given],
                        "component": component,
                    }))
                offset += n
        components = pd.concat(parts, ignore_index=True)
        components["component"] = components["component"].str.strip().str.lower()
        return components

    def _counts(self, frame: pd.DataFrame, interventions: pd.DataFrame) -> pd.DataFrame:
        frame = self._unique(frame, ["intervention_id", "year", "sex"],
                             "Raden finns redan för samma insats, år och kön", "kön")
        known = set(interventions["intervention_id"].dropna()) | self.known["interventions"]
        self.problem(frame, ~frame["intervention_id"].isin(known),
                     "Antalen pekar på en insats som inte finns i insatsfilen eller i databasen.", "insats_id",
                     frame["intervention_id"])
        return frame

    def _unique(self, frame: pd.DataFrame, keys: list[str], reason: str, column: str) -> pd.DataFrame:
        dup = frame.duplicated(keys, keep="first")
        self.problem(frame, dup, f"{reason} (dubblett).", column)
        return frame

    def _extras(self, participants: pd.DataFrame, enrolments: pd.DataFrame,
                wide_sheets: list[ParsedSheet]) -> pd.DataFrame:
        rows: list[pd.DataFrame] = []
        for sheet in self.parsed:
            if not sheet.extras:
                continue
            if sheet.table.name == "participants":
                ids = participants.set_index(["_file", "_sheet", "_row"])["participant_id"]
                entity = "participants"
            elif sheet.table.name in ("enrolments", "wide"):
                ids = enrolments.set_index(["_file", "_sheet", "_row"])["enrolment_id"]
                entity = "enrolments"
            else:
                continue
            for column, values in sheet.extras.items():
                keys = [(sheet.sheet.file, sheet.sheet.sheet, int(r)) for r in values.index]
                entity_ids = [ids.get(k) for k in keys]
                rows.append(pd.DataFrame({"entity": entity, "entity_id": entity_ids, "column_name": column,
                                          "value": values.to_numpy()}))
        if not rows:
            return pd.DataFrame(columns=list(STORE_SCHEMA["extra_values"]))
        extras = pd.concat(rows, ignore_index=True)
        return extras[extras["value"] != ""].dropna(subset=["entity_id"])


def _sheet_name(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _table(name: str) -> Any:
    from jamkoll.ingest.schema import TABLES

    return TABLES[name]


def _stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reindex(columns=list(STORE_SCHEMA[name])).reset_index(drop=True)
