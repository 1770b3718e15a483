"""Import participant data: read, validate, link, pseudonymise, then store all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from jamkoll.ingest.headcount import to_counts
from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.ingest.pseudonym import Pseudonymiser, birth_year
from jamkoll.ingest.readers import read_file
from jamkoll.ingest.schema import SEX_CODES, WIDE, normalise_header
from jamkoll.ingest.scope import MISREGISTERED_TABLE, ImportPlan, Scope
from jamkoll.ingest.store import STORE_SCHEMA, Store
from jamkoll.ingest.validate import ParsedSheet, detect_table, distinct_codes, parse_sheet, spread_text


def first_row_of(frame: pd.DataFrame, key: str, rows: pd.Series) -> pd.Series:
    """For the marked rows, the user's row number of the first row with the same key (as text)."""
    firsts = frame.drop_duplicates(key, keep="first").set_index(key)["_row"]
    return frame.loc[rows.to_numpy(dtype=bool), key].map(firsts).astype(str).reindex(frame.index)

# Where a linked row comes from: the parsed sheet (its position in ``_Linker.parsed``) and the user's
# row number. An integer per row instead of file and sheet names keeps large tables light.
PROVENANCE = ["_part", "_row"]
# pandas' default text dtype (Arrow-backed), as the validator gives identifiers.
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


@dataclass
class ImportReport:
    """What an import read (or would read): rows per table, people by sex, warnings."""

    files: list[str]
    rows: dict[str, int]
    sex: dict[str, int]
    interventions: list[str]
    warnings: list[str] = field(default_factory=list)
    stored: bool = False
    # The store version the import wrote, and what it changed (see :mod:`jamkoll.ingest.scope`).
    version: int | None = None
    plan: ImportPlan | None = None
    # Stored participants enrolled elsewhere whose attributes a reporter's import left unchanged although
    # they differed (kept out of to_dict: the reporter must not learn of them).
    participant_conflicts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files, "rows": self.rows, "sex": self.sex,
            "interventions": self.interventions, "warnings": self.warnings, "stored": self.stored,
            "version": self.version, "plan": self.plan.to_dict() if self.plan else None,
        }


@dataclass
class Batch:
    tables: dict[str, pd.DataFrame]
    replaced_interventions: set[str]
    described_interventions: set[str]
    report: ImportReport


def import_files(paths: Iterable[Path | str], store: Store, *, pseudonymiser: Pseudonymiser | None = None,
                 today: dt.date | None = None, progress: Callable[[str], None] | None = None,
                 scope: Scope | None = None, author: str | None = None,
                 expect_base: int | None = None, reach: set[str] | None = None) -> ImportReport:
    """Import files into the store as a new version; raise :class:`ImportRejected` (nothing stored) on any
    problem, :class:`~jamkoll.ingest.scope.ScopeRefused` when it would remove rows outside its declared
    scope without ``scope.allow_removal_outside`` (see :mod:`jamkoll.ingest.scope`).

    ``reach`` (a reporter's interventions): people and enrolments of other interventions are unknown to
    the import, and stored attributes of a person enrolled elsewhere are not changed by it.
    """
    batch = load_files(paths, store, pseudonymiser=pseudonymiser, today=today, progress=progress, reach=reach)
    summary = batch.report.to_dict()
    version, plan = store.apply(batch.tables, batch.replaced_interventions, batch.described_interventions,
                                batch.report.files, summary, scope=scope, author=author, expect_base=expect_base,
                                reach=reach)
    batch.report.participant_conflicts = int(version.details.get("participant_conflicts") or 0)
    batch.report.stored = True
    batch.report.version = version.number
    batch.report.plan = plan
    return batch.report


def plan_files(paths: Iterable[Path | str], store: Store, scope: Scope | None = None, *,
               pseudonymiser: Pseudonymiser | None = None, today: dt.date | None = None,
               reach: set[str] | None = None) -> ImportReport:
    """Check files as an import would and say what importing them with ``scope`` would change; store nothing."""
    batch = load_files(paths, store, pseudonymiser=pseudonymiser, today=today, reach=reach)
    batch.report.plan = store.plan(batch.tables, scope or Scope(), batch.described_interventions)
    batch.report.version = batch.report.plan.base_version
    return batch.report


def validate_files(paths: Iterable[Path | str], store: Store | None = None, *,
                   pseudonymiser: Pseudonymiser | None = None, today: dt.date | None = None) -> ImportReport:
    """Check files as an import would, without storing anything."""
    return load_files(paths, store or Store("/nonexistent-jamkoll-store"),
                      pseudonymiser=pseudonymiser, today=today).report


def load_files(paths: Iterable[Path | str], store: Store, *, pseudonymiser: Pseudonymiser | None = None,
               today: dt.date | None = None, progress: Callable[[str], None] | None = None,
               reach: set[str] | None = None) -> Batch:
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
        for read in sheets:
            # Annual-report tables and anonymous rows are headcounts: read as the counts table or refused.
            sheet, shape_problems, notes = to_counts(read, today)
            problems += shape_problems
            warnings += notes
            if sheet is None:
                continue
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
    linker = _Linker(parsed, store, pseudonymiser, reach)
    tables = linker.link()
    if linker.problems:
        raise ImportRejected(linker.problems)
    report = ImportReport(
        files=[p.name for p in files],
        rows={name: len(frame) for name, frame in tables.items() if name not in ("extra_values", MISREGISTERED_TABLE)},
        sex=_sex_counts(tables),
        interventions=sorted(linker.replaced | linker.described),
        warnings=warnings + linker.notes,
    )
    return Batch(tables, linker.replaced, linker.described, report)


def _sex_counts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    participants = tables.get("participants")
    counts = {code: 0 for code in SEX_CODES}
    if participants is not None and not participants.empty:
        for code, n in participants["sex"].value_counts().items():
            counts[str(code)] = int(n)
    return counts


def _with_provenance(part: int, result: ParsedSheet) -> pd.DataFrame:
    frame = result.frame.reset_index(drop=True)  # copy-on-write: no data is copied here
    frame["_part"] = np.full(len(frame), part, dtype=np.int64)
    frame["_row"] = result.frame.index.to_numpy(dtype=np.int64)
    return frame


def _reindex(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame.reindex(columns=columns)``, with missing columns as object columns of NaN.

    Object, not float: the linker writes identifiers and pseudonyms into such columns (pandas
    refuses text in a float column), and object NaN reads like the float NaN of ``reindex``.
    Built column by column, which copies no data (selecting columns of a frame may).
    """
    def missing() -> pd.Series:
        # A Series of its dtype already: pandas would otherwise inspect every cell.
        return pd.Series(np.full(len(frame), np.nan, dtype=object), index=frame.index, dtype=object)

    return pd.DataFrame({c: frame[c] if c in frame.columns else missing() for c in columns}, copy=False)


def _stack(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``second`` appended to those of ``first``, in the columns of ``first``.

    Stacking with an empty frame would turn every column into Python objects (slow, and large);
    then the other frame is taken as it is.
    """
    if not len(second):
        return first
    second = _reindex(second, list(first.columns))
    if not len(first):
        return second.reset_index(drop=True)
    return pd.concat([first, second], ignore_index=True)


def _is_missing(value: object) -> bool:
    """``pd.isna`` for one value of a text column (None, NaN or NA), at a fraction of its cost."""
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def enrolment_key(intervention_id: str, participant_id: str | None, start: object) -> str:
    """A stable generated enrolment id, the same for the same enrolment in any later import."""
    digest = hashlib.sha256(f"{intervention_id}|{participant_id}|{start}".encode()).hexdigest()[:12]
    return f"{intervention_id}-{digest}"


class _Linker:
    """Join the sheets into the stored tables and check every reference between them.

    Identifiers and personnummer repeat over large tables, so lookups (pseudonyms, references to
    participants and interventions) are done once per distinct value and spread over the rows by
    codes, as the validator does.
    """

    def __init__(self, parsed: list[ParsedSheet], store: Store, pseudonymiser: Pseudonymiser,
                 reach: set[str] | None = None):
        self.parsed = parsed
        self.store = store
        self.pseudonymiser = pseudonymiser
        self.reach = reach
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.known_interventions: set[str] = set()
        self.replaced: set[str] = set()
        self.described: set[str] = set()
        # Within a reach, people and enrolments of other interventions are unknown: a reporter's
        # check answers the same whether or not a person is enrolled elsewhere.
        self.known = store.known_ids(reach)

    def problem(self, frame: pd.DataFrame, mask: pd.Series | np.ndarray, reason: str | pd.Series, column: str,
                value: pd.Series | None = None) -> None:
        """One problem per marked row of ``frame`` (mask, reason and value are aligned with it)."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        # Gathered column by column: a file may have a problem on every row.
        parts = frame["_part"].to_numpy()[positions].tolist()
        rows = frame["_row"].to_numpy()[positions].tolist()
        reasons = [reason] * len(positions) if isinstance(reason, str) else \
            reason.to_numpy(dtype=object)[positions].tolist()
        values = [None] * len(positions) if value is None else value.to_numpy(dtype=object)[positions].tolist()
        for part, row, text, shown in zip(parts, rows, reasons, values, strict=True):
            sheet = self.parsed[part].sheet
            self.problems.append(Problem(
                sheet.file, str(text), _sheet_name(sheet.sheet), row, column,
                None if shown is None or pd.isna(shown) else str(shown),
            ))

    def sheets_of(self, name: str) -> list[ParsedSheet]:
        return [p for p in self.parsed if p.table.name == name]

    def frame_of(self, name: str) -> pd.DataFrame:
        columns = [c.name for c in (WIDE if name == "wide" else _table(name)).columns] + PROVENANCE
        frames = [_reindex(_with_provenance(i, p), columns) for i, p in enumerate(self.parsed)
                  if p.table.name == name]
        if not frames:
            return pd.DataFrame(columns=columns)
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def pseudonyms(self, personnummer: pd.Series) -> tuple[np.ndarray, list[str | None]]:
        """Codes per row and the pseudonym of each distinct canonical personnummer (None: missing)."""
        codes, numbers = distinct_codes(personnummer)
        return codes, [None if _is_missing(v) else self.pseudonymiser.pseudonym(v) for v in numbers]

    def link(self) -> dict[str, pd.DataFrame]:
        wide_sheets = self.sheets_of("wide")
        wide = self.frame_of("wide")
        plain = self.frame_of("participants")
        participants = self._participants(_stack(plain, wide), n_plain=len(plain))
        local = self.store.local_id_map(self.reach)
        local.update(dict(zip(participants["local_id"].dropna(), participants.loc[
            participants["local_id"].notna(), "participant_id"], strict=True)))
        # A wide sheet's rows come last among the enrolments: _components finds them there.
        enrolments = _stack(self.frame_of("enrolments"), wide)
        interventions, budgets = self._interventions(self.frame_of("interventions"))
        # SUS exports and annual reports name an intervention rather than give its id.
        names = self._intervention_names(interventions)
        enrolments = self._by_name(enrolments, names)
        enrolments = self._enrolments(enrolments, participants, local, interventions)
        components = self._components(self._by_name(self.frame_of("components"), names), enrolments, wide,
                                      wide_sheets, local)
        counts = self._counts(self._by_name(self.frame_of("counts"), names), interventions)
        reference = self._unique(self.frame_of("reference_population"), ["year", "municipality_code", "group"],
                                 "Raden finns redan för samma år, kommun och grupp", "group")
        extras = self._extras(participants, enrolments)
        self.replaced |= set(enrolments["intervention_id"].unique()) | set(counts["intervention_id"])
        # An intervention named only by enrolments removed as felregistrering is declared too: it is
        # replaced (emptied), so that the removal reaches the store, and the report says so.
        misregistered = {names.get(normalise_header(i), i) if i not in self.known_interventions else i
                         for p in self.parsed for i in p.misregistered}
        emptied = sorted(misregistered - self.replaced)
        if emptied:
            self.notes.append(
                f"Insatserna {', '.join(emptied)} har bara felregistrerade inskrivningar i importen: alla deras "
                "tidigare importerade inskrivningar tas bort. Importera hela deltagarlistan för insatsen om det "
                "inte är avsikten."
            )
        self.replaced |= misregistered
        corrected = pd.DataFrame(sorted({(names.get(normalise_header(i), i) if i not in self.known_interventions
                                          else i, y) for p in self.parsed for i, y in p.misregistered_years}),
                                 columns=["intervention_id", "y"])
        self.replaced |= set(components["intervention_id"].dropna())
        tables = {
            "interventions": interventions, "budgets": budgets, "participants": participants,
            "enrolments": enrolments, "components": components, "counts": counts,
            "reference_population": reference, "extra_values": extras,
        }
        stored = {name: _stored(name, frame) for name, frame in tables.items()}
        if len(corrected):
            stored[MISREGISTERED_TABLE] = corrected
        return stored

    # -- interventions named by name ----------------------------------------------------------------
    def _intervention_names(self, interventions: pd.DataFrame) -> dict[str, str]:
        """Each intervention name (normalised as headers are) that belongs to one intervention, and its id,
        from this import and the store; also records the known ids."""
        pairs = pd.concat([interventions[["intervention_id", "name"]],
                           self.store.table("interventions")[["intervention_id", "name"]]])
        pairs = pairs.dropna().astype(str).drop_duplicates()
        self.known_interventions = set(interventions["intervention_id"].dropna()) | self.known["interventions"]
        keys = pairs["name"].map(normalise_header)
        unique = ~keys.duplicated(keep=False)
        return dict(zip(keys[unique], pairs.loc[unique, "intervention_id"], strict=True))

    def _by_name(self, frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
        """Rows whose intervention is given by a name (not a known id) get that intervention's id; the
        report says which. Names shared by several interventions are not guessed."""
        if not len(frame) or not names:
            return frame
        codes, values = distinct_codes(frame["intervention_id"])
        used: dict[str, str] = {}
        resolved: list[object] = []
        for value in values:
            target = None if _is_missing(value) or value in self.known_interventions else \
                names.get(normalise_header(value))
            if target is not None:
                used[str(value)] = target
            resolved.append(target if target is not None else value)
        if not used:
            return frame
        frame = frame.copy(deep=False)
        frame["intervention_id"] = spread_text(resolved, codes, frame.index)
        shown = ", ".join(f"{name!r} → {ident}" for name, ident in sorted(used.items()))
        self.notes.append(f"Insatser angivna med namn lästes som sina insats_id: {shown}.")
        return frame

    # -- participants --------------------------------------------------------------------------------
    def _participants(self, frame: pd.DataFrame, n_plain: int) -> pd.DataFrame:
        frame = frame.copy(deep=False)
        pnr = frame["personnummer"]
        has_pnr = pnr.notna()
        frame["local_id"] = frame["participant_id"]
        no_birth = (has_pnr & frame["birth_year"].isna()).to_numpy()
        frame["birth_year"] = frame["birth_year"].astype("Int64")
        if has_pnr.any():
            # Pseudonym and birth year once per distinct personnummer.
            codes, numbers = distinct_codes(pnr)
            rows = has_pnr.to_numpy()
            ids = frame["participant_id"].astype(object).to_numpy(copy=True)
            pseudonyms = [None if _is_missing(v) else self.pseudonymiser.pseudonym(v) for v in numbers]
            ids[rows] = np.array(pseudonyms, dtype=object)[codes[rows]]
            frame["participant_id"] = pd.Series(ids, index=frame.index, dtype=object)
            if no_birth.any():
                years = np.array([0 if _is_missing(v) else birth_year(v) for v in numbers], dtype=np.int64)
                frame.loc[no_birth, "birth_year"] = years[codes[no_birth]]
        frame["personnummer"] = None  # the canonical number leaves memory here
        self.problem(frame, frame["participant_id"].isna(),
                     "Raden saknar både deltagar_id och personnummer.", "deltagar_id / personnummer")
        attributes = ["participant_id", "sex", "birth_year", "education", "born_abroad", "disability",
                      "municipality_code"]
        plain = frame.index < n_plain
        dup_plain = plain & frame.duplicated("participant_id", keep="first") & frame["participant_id"].notna()
        if dup_plain.any():
            first = first_row_of(frame, "participant_id", dup_plain)
            self.problem(frame, dup_plain, "Samma deltagare finns redan på rad " + first + " (dubblett).",
                         "deltagar_id / personnummer")
        # In a wide sheet a participant repeats once per enrolment; the repeats must agree.
        distinct = frame.drop_duplicates(attributes)
        conflict = distinct.duplicated("participant_id", keep="first") & distinct["participant_id"].notna()
        conflict_rows = np.zeros(len(frame), dtype=bool)
        conflict_rows[frame.index.get_indexer(distinct.index[conflict.to_numpy()])] = True
        self.problem(frame, conflict_rows & ~dup_plain.to_numpy(),
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
        frame = frame.copy(deep=False)
        known = self.known["participants"]
        known_people = set(participants["participant_id"].dropna()) | known
        # Who each row is: the pseudonym of its personnummer; else what its local id stands for (in
        # this import or the store); else the id itself when the store holds it.
        id_codes, ids = distinct_codes(frame["participant_id"])
        by_id: list[str | None] = []
        for v in ids:
            mapped = None if _is_missing(v) else local.get(v)
            by_id.append(mapped if isinstance(mapped, str) else (v if not _is_missing(v) and v in known else None))
        pnr_codes, by_pnr = self.pseudonyms(frame["personnummer"])
        has_id = ~np.array([_is_missing(v) for v in ids], dtype=bool)[id_codes]
        has_pnr = np.array([p is not None for p in by_pnr], dtype=bool)[pnr_codes]
        # Distinct keys: those of the ids, then those of the personnummer; a code per row into them.
        keys = by_id + by_pnr
        key_codes = np.where(has_pnr, len(by_id) + pnr_codes, id_codes)
        unknown = np.array([k is None or k not in known_people for k in keys], dtype=bool)[key_codes]
        frame["personnummer"] = None
        self.problem(frame, unknown & (has_id | has_pnr),
                     "Inskrivningen pekar på en deltagare som inte finns i deltagarfilen eller i databasen.",
                     "deltagar_id / personnummer", frame["participant_id"])
        self.problem(frame, ~has_id & ~has_pnr,
                     "Raden saknar både deltagar_id och personnummer.", "deltagar_id / personnummer")
        frame["participant_id"] = spread_text(keys, key_codes, frame.index)
        known_interventions = set(interventions["intervention_id"].dropna()) | self.known["interventions"]
        codes, values = distinct_codes(frame["intervention_id"])
        stray = np.array([not _is_missing(v) and v not in known_interventions for v in values], dtype=bool)
        self.problem(frame, stray[codes],
                     "Inskrivningen pekar på en insats som inte finns i insatsfilen eller i databasen.",
                     "insats_id", frame["intervention_id"])
        missing = frame["enrolment_id"].isna()
        if missing.any():
            generated = [
                # A participant not found is None in the key, as it always was.
                enrolment_key(i, None if _is_missing(p) else p, s) for i, p, s in
                zip(frame.loc[missing, "intervention_id"], frame.loc[missing, "participant_id"],
                    frame.loc[missing, "start_date"], strict=True)
            ]
            if frame["enrolment_id"].dtype != _STR:
                frame["enrolment_id"] = frame["enrolment_id"].astype(object)
            frame.loc[missing, "enrolment_id"] = generated
        self._foreign_enrolments(frame)
        if _has_duplicates(frame["enrolment_id"]):
            dup = frame.duplicated("enrolment_id", keep="first")
            first = first_row_of(frame, "enrolment_id", dup)
            self.problem(frame, dup, "Inskrivnings-id:t finns redan på rad " + first + " (dubblett).",
                         "inskrivnings_id", frame["enrolment_id"])
        return frame

    def _foreign_enrolments(self, frame: pd.DataFrame) -> None:
        """An enrolment id the store holds for another intervention cannot be taken over by this import.

        The message does not say which intervention holds it (a reporter only sees their own).
        """
        given = [str(v) for v in frame["enrolment_id"].dropna().unique().tolist()]
        if not given:
            return
        owners = self.store.enrolment_interventions(given)
        own = frame["intervention_id"].astype(object).to_numpy()
        ids = frame["enrolment_id"].astype(object).to_numpy()
        foreign = np.array([isinstance(e, str) and e in owners and owners[e] != i
                            for e, i in zip(ids, own, strict=True)], dtype=bool)
        self.problem(frame, foreign, "Inskrivnings-id:t används redan av en annan insats i databasen; "
                     "ge inskrivningen ett eget id.", "inskrivnings_id", frame["enrolment_id"])

    # -- components ----------------------------------------------------------------------------------
    def _components(self, frame: pd.DataFrame, enrolments: pd.DataFrame, wide: pd.DataFrame,
                    wide_sheets: list[ParsedSheet], local: dict[str, str]) -> pd.DataFrame:
        frame = frame.copy(deep=False)
        if len(frame):
            self._link_components(frame, enrolments, local)
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

    def _link_components(self, frame: pd.DataFrame, enrolments: pd.DataFrame, local: dict[str, str]) -> None:
        """Find the enrolment of each component row (in place) and report those not found."""
        need = frame["enrolment_id"].isna()
        if need.any():
            self._find_enrolments(frame, need, enrolments, local)
        frame["personnummer"] = None
        # A repeated enrolment id is reported by _enrolments; here the first one stands.
        first = enrolments.drop_duplicates("enrolment_id")
        intervention_of = dict(zip(first["enrolment_id"], first["intervention_id"], strict=True))
        stored = self.known["enrolments"]
        # Looked up once per distinct enrolment id, then spread over the rows.
        codes, ids = distinct_codes(frame["enrolment_id"])
        in_batch = np.array([not _is_missing(v) and v in intervention_of for v in ids], dtype=bool)[codes]
        in_store = np.array([not _is_missing(v) and v in stored for v in ids], dtype=bool)[codes]
        self.problem(frame, ~(in_batch | in_store),
                     "Delinsatsen pekar på en inskrivning som inte finns (ange inskrivnings_id, eller deltagare "
                     "och insats_id för en entydig inskrivning).", "inskrivnings_id", frame["enrolment_id"])
        # The intervention of an enrolment in this import is that enrolment's; otherwise the row's own.
        linked = np.array([intervention_of.get(v) if not _is_missing(v) else None for v in ids], dtype=object)
        own = frame["intervention_id"].to_numpy(dtype=object)
        frame["intervention_id"] = pd.Series(np.where(in_batch, linked[codes], own), index=frame.index, dtype=object)

    def _find_enrolments(self, frame: pd.DataFrame, need: pd.Series, enrolments: pd.DataFrame,
                         local: dict[str, str]) -> None:
        """Fill in the enrolment id of component rows that name participant and intervention instead."""
        person = frame["participant_id"].astype(object).map(local).where(frame["participant_id"].notna(), None)
        has_pnr = frame["personnummer"].notna()
        if has_pnr.any():
            codes, pseudonyms = self.pseudonyms(frame["personnummer"])
            person = person.astype(object)
            person[has_pnr] = np.array(pseudonyms, dtype=object)[codes[has_pnr.to_numpy()]]
        # The enrolment must be the only one of the pair; a row without a known participant or
        # intervention finds none.
        pair = enrolments.drop_duplicates(["participant_id", "intervention_id"], keep=False)
        pair = pair[pair["participant_id"].notna() & pair["intervention_id"].notna()]
        by_pair = dict(zip(zip(pair["participant_id"], pair["intervention_id"], strict=True),
                           pair["enrolment_id"], strict=True))
        found_ids = [
            None if _is_missing(p) or _is_missing(i) else by_pair.get((p, i))
            for p, i in zip(person[need], frame.loc[need, "intervention_id"], strict=True)
        ]
        frame["enrolment_id"] = frame["enrolment_id"].astype(object)
        frame.loc[need, "enrolment_id"] = found_ids

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

    def _extras(self, participants: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
        rows: list[pd.DataFrame] = []
        for part, sheet in enumerate(self.parsed):
            if not sheet.extras:
                continue
            if sheet.table.name == "participants":
                linked, key, entity = participants, "participant_id", "participants"
            elif sheet.table.name in ("enrolments", "wide"):
                linked, key, entity = enrolments, "enrolment_id", "enrolments"
            else:
                continue
            # The linked rows of this sheet, by the user's row number (participants repeated in a wide
            # sheet, or reported as duplicates, have only their first row linked).
            ids = linked.loc[linked["_part"].to_numpy() == part].set_index("_row")[key]
            for column, values in sheet.extras.items():
                entity_ids = ids.reindex(values.index.to_numpy(dtype=np.int64)).to_numpy()
                rows.append(pd.DataFrame({"entity": entity, "entity_id": entity_ids, "column_name": column,
                                          "value": values.to_numpy()}))
        if not rows:
            return pd.DataFrame(columns=list(STORE_SCHEMA["extra_values"]))
        extras = pd.concat(rows, ignore_index=True)
        return extras[extras["value"] != ""].dropna(subset=["entity_id"])


def _has_duplicates(values: pd.Series) -> bool:
    """Whether any value repeats (missing values count as one value, as in ``duplicated``)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        # Arrow counts distinct text several times faster than pandas finds duplicates.
        arrow = pa.array(values)
        return bool(len(arrow.unique()) < len(arrow))
    return bool(values.duplicated().any())


def _sheet_name(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _table(name: str) -> Any:
    from jamkoll.ingest.schema import TABLES

    return TABLES[name]


def _stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reindex(columns=list(STORE_SCHEMA[name])).reset_index(drop=True)
