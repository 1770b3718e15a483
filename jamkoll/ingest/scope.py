"""What an import replaces: its declared scope, the plan of changes, and applying it to a store version.

An import **replaces exactly what it declares, and nothing else**:

* The *year of an enrolment* is the calendar year of its start date (``inskrivningsdatum``); an
  enrolment without a start date has no year (its own group). The year of a headcount row
  (``counts``) is its ``year`` column. The analysis uses the same definitions.
* The **declared scope** of an import is, per intervention named by its enrolment rows (and, for
  headcounts, by its count rows), the years the user declares (the upload form's year, ``jamkoll
  import --year``) or, when none is declared, the years its rows cover.
* The **replace mode** decides what is replaced:

  ``year`` (the default)
      per intervention, the stored enrolments (with their components) and headcounts of the years of
      the import's rows and of the declared years; every other year stays as it was.
  ``intervention``
      every year of each intervention the import names (the behaviour before versions).
  ``all``
      every intervention's enrolments, components and headcounts: the store becomes the import.

  In every mode a stored enrolment with the same id as an imported one is replaced by it (also
  when its start date moved to another year), and the components of an imported or removed
  enrolment are replaced by the import's.
* Removing stored rows **outside the declared scope** (other years, other interventions) is refused
  (:class:`ScopeRefused`) unless the user explicitly allows it (``Scope.allow_removal_outside``: the
  check page's tick box, ``jamkoll import --allow-removal``).

Descriptions of interventions are replaced per intervention; budgets per intervention and year in
the ``year`` mode and per intervention otherwise; participants, reference populations and extra
columns are updated by their keys.

:func:`plan_changes` counts, per table, intervention and year, the rows added, changed, removed
and left unchanged (the check page shows it); :func:`apply_changes` then writes it in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import pandas as pd

from jamkoll.ingest.store import STORE_SCHEMA, _arrow

ReplaceMode = Literal["year", "intervention", "all"]
REPLACE_MODES: tuple[str, ...] = ("year", "intervention", "all")


@dataclass(frozen=True)
class Scope:
    """The replace mode, the declared years (None: the years of the rows) and the explicit choice."""

    mode: str = "year"
    years: frozenset[int] | None = None
    allow_removal_outside: bool = False

    def __post_init__(self) -> None:
        if self.mode not in REPLACE_MODES:
            raise ValueError(f"Okänt ersättningsläge {self.mode!r}: välj year, intervention eller all.")

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "years": sorted(self.years) if self.years else None,
                "allow_removal_outside": self.allow_removal_outside}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Scope:
        data = data or {}
        years = data.get("years")
        return cls(mode=str(data.get("mode") or "year"), years=frozenset(int(y) for y in years) if years else None,
                   allow_removal_outside=bool(data.get("allow_removal_outside")))


@dataclass(frozen=True)
class Change:
    """Rows of one table, intervention and year that an import adds, changes, removes or leaves as they are.

    ``outside``: the intervention and year lie outside the declared scope (removing rows there
    needs the explicit choice).
    """

    table: str
    intervention_id: str
    year: int | None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    outside: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Removal:
    """Removed rows of one table and intervention, summed over years: "tar bort 569 inskrivningar från 2021–2024"."""

    table: str
    intervention_id: str
    years: list[int | None]
    count: int
    outside: bool

    @property
    def years_text(self) -> str:
        return years_text(self.years)


@dataclass
class ImportPlan:
    """What applying an import to the store's version ``base_version`` does, per table, intervention and year."""

    base_version: int | None
    scope: Scope
    changes: list[Change] = field(default_factory=list)

    def of(self, table: str) -> list[Change]:
        return [c for c in self.changes if c.table == table]

    def totals(self, table: str) -> dict[str, int]:
        rows = self.of(table)
        return {k: sum(getattr(c, k) for c in rows) for k in ("added", "changed", "removed", "unchanged")}

    def removals(self) -> list[Removal]:
        """Removals grouped per table, intervention and whether they lie outside the declared scope."""
        groups: dict[tuple[str, str, bool], list[Change]] = {}
        for c in self.changes:
            if c.removed:
                groups.setdefault((c.table, c.intervention_id, c.outside), []).append(c)
        return [Removal(t, i, sorted((c.year for c in cs), key=_year_key), sum(c.removed for c in cs), o)
                for (t, i, o), cs in sorted(groups.items(), key=lambda kv: (kv[0][0] != "enrolments", kv[0][1:]))]

    def removed_outside(self) -> list[Removal]:
        return [r for r in self.removals() if r.outside]

    def to_dict(self) -> dict[str, Any]:
        return {"base_version": self.base_version, "scope": self.scope.to_dict(),
                "changes": [c.to_dict() for c in self.changes]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        return cls(base_version=data.get("base_version"), scope=Scope.from_dict(data.get("scope")),
                   changes=[Change(**c) for c in data.get("changes", [])])


class ScopeRefused(Exception):
    """The import would remove rows outside its declared scope, and that was not explicitly allowed."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        parts = [f"{r.count} {_TABLE_SV.get(r.table, r.table)} för {r.intervention_id} {years_text(r.years)}"
                 for r in plan.removed_outside()]
        super().__init__("Importen skulle ta bort rader utanför de angivna åren: " + "; ".join(parts)
                         + ". Välj uttryckligen att de ska tas bort (kryssrutan, eller --allow-removal), "
                         "eller ange rätt år.")


class StoreChanged(Exception):
    """The store got a new version after the check: the user must look at the new plan first."""

    def __init__(self, expected: int | None, actual: int | None):
        self.expected, self.actual = expected, actual
        super().__init__(f"Databasen har ändrats sedan kontrollen (version {expected} → {actual}); "
                         "kontrollera uppladdningen igen.")


_TABLE_SV = {"enrolments": "inskrivningar", "counts": "antalsrader"}


def _year_key(year: int | None) -> int:
    return -1 if year is None else year


def years_text(years: list[int | None]) -> str:
    """``2021–2024``, ``2021, 2023``, ``2021–2022, 2025`` (``utan år`` for rows without a year)."""
    known = sorted({y for y in years if y is not None})
    parts: list[str] = []
    i = 0
    while i < len(known):
        j = i
        while j + 1 < len(known) and known[j + 1] == known[j] + 1:
            j += 1
        parts.append(str(known[i]) if i == j else f"{known[i]}–{known[j]}")
        i = j + 1
    if any(y is None for y in years):
        parts.append("utan år")
    return ", ".join(parts)


# -- in the database ------------------------------------------------------------------------------------

#: Batch entry (not a store table) with the (intervention_id, y) pairs of removed felregistreringar.
MISREGISTERED_TABLE = "_misregistered"


def stage_batch(con: duckdb.DuckDBPyConnection, batch: dict[str, pd.DataFrame]) -> None:
    """The batch as temporary tables ``_new_<table>`` in the store's column types, and the pairs that
    felregistreringar declare as ``_misregistered``."""
    con.execute("CREATE OR REPLACE TEMP TABLE _misregistered (intervention_id VARCHAR, y BIGINT)")
    corrected = batch.get(MISREGISTERED_TABLE)
    if corrected is not None and len(corrected):
        con.register("_incoming_misregistered", corrected[["intervention_id", "y"]])
        try:
            con.execute("INSERT INTO _misregistered SELECT CAST(intervention_id AS VARCHAR), CAST(y AS BIGINT) "
                        "FROM _incoming_misregistered")
        finally:
            con.unregister("_incoming_misregistered")
    for name, columns in STORE_SCHEMA.items():
        if name == "imports":
            continue
        cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        con.execute(f'CREATE OR REPLACE TEMP TABLE "_new_{name}" ({cols})')
        frame = batch.get(name)
        if frame is None or frame.empty:
            continue
        con.register("_incoming", _arrow(frame.reindex(columns=list(columns))))
        try:
            select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in columns.items())
            con.execute(f'INSERT INTO "_new_{name}" SELECT {select} FROM _incoming')
        finally:
            con.unregister("_incoming")


def _pairs(con: duckdb.DuckDBPyConnection, name: str, table: str, year: str, scope: Scope,
           replaced: list[str]) -> None:
    """Temp tables ``_declared_<name>`` and ``_replace_<name>`` of (intervention_id, y) pairs."""
    batch = f'SELECT DISTINCT intervention_id, {year} AS y FROM "_new_{table}"'
    if scope.years:
        declared = (f'SELECT DISTINCT intervention_id, unnest(?::BIGINT[]) AS y FROM "_new_{table}"')
        params: list[Any] = [sorted(scope.years)]
    else:
        declared, params = batch, []
    con.execute(f"CREATE OR REPLACE TEMP TABLE _declared_{name} AS {declared}", params)
    if scope.mode == "year":
        replace = f"{batch} UNION SELECT intervention_id, y FROM _declared_{name}"
        params = []
    elif scope.mode == "intervention":
        replace = (f'{batch} UNION SELECT DISTINCT intervention_id, {year} FROM "{table}" '
                   "WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))")
        params = [replaced]
    else:
        replace = f'{batch} UNION SELECT DISTINCT intervention_id, {year} FROM "{table}"'
        params = []
    con.execute(f"CREATE OR REPLACE TEMP TABLE _replace_{name} AS {replace}", params)


def _in(pairs: str, alias: str, year: str) -> str:
    return (f"EXISTS (SELECT 1 FROM {pairs} p WHERE p.intervention_id = {alias}.intervention_id "
            f"AND p.y IS NOT DISTINCT FROM {year})")


def _replaced_interventions(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT intervention_id FROM _new_enrolments UNION SELECT intervention_id FROM _new_counts "
        "UNION SELECT intervention_id FROM _new_components"
    ).fetchall()
    return sorted(str(r[0]) for r in rows if r[0] is not None)


def plan_changes(con: duckdb.DuckDBPyConnection, scope: Scope, described: set[str],
                 base: int | None) -> ImportPlan:
    """Decide what the staged batch replaces (temp tables ``_del_*``) and count it per intervention and year."""
    replaced = _replaced_interventions(con)
    _pairs(con, "enrolments", "enrolments", "year(start_date)", scope, replaced)
    # A felregistrering declares its intervention and year: the stored enrolment it corrects goes.
    for pairs in ("_declared_enrolments", "_replace_enrolments"):
        con.execute(f"INSERT INTO {pairs} SELECT m.intervention_id, m.y FROM _misregistered m "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {pairs} p WHERE p.intervention_id = m.intervention_id "
                    "AND p.y IS NOT DISTINCT FROM m.y)")
    _pairs(con, "counts", "counts", "year", scope, replaced)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _del_enrolments AS SELECT e.enrolment_id, e.intervention_id, "
        "year(e.start_date) AS y FROM enrolments e WHERE "
        + _in("_replace_enrolments", "e", "year(e.start_date)")
        + " OR e.enrolment_id IN (SELECT n.enrolment_id FROM _new_enrolments n "
        "WHERE n.intervention_id = e.intervention_id)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _del_counts AS SELECT c.intervention_id, c.year AS y, c.sex FROM counts c "
        "WHERE " + _in("_replace_counts", "c", "c.year")
    )
    changes: list[Change] = []
    e_cols = [c for c in STORE_SCHEMA["enrolments"]]
    differs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in e_cols)
    changes += _changes(con, "enrolments", f"""
        SELECT n.intervention_id, year(n.start_date) AS y,
               count(*) FILTER (WHERE o.enrolment_id IS NULL) AS added,
               count(*) FILTER (WHERE o.enrolment_id IS NOT NULL AND ({differs})) AS changed,
               0 AS removed,
               count(*) FILTER (WHERE o.enrolment_id IS NOT NULL AND NOT ({differs})) AS unchanged
        FROM _new_enrolments n LEFT JOIN enrolments o USING (enrolment_id)
        GROUP BY ALL
        UNION ALL
        SELECT d.intervention_id, d.y, 0, 0, count(*), 0 FROM _del_enrolments d
        WHERE d.enrolment_id NOT IN (SELECT enrolment_id FROM _new_enrolments WHERE enrolment_id IS NOT NULL)
        GROUP BY ALL
    """, "_declared_enrolments")
    c_cols = ["participants", "exits_to_work", "exits_to_studies"]
    c_differs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in c_cols)
    match = ("o.intervention_id = n.intervention_id AND o.year IS NOT DISTINCT FROM n.year "
             "AND o.sex IS NOT DISTINCT FROM n.sex")
    changes += _changes(con, "counts", f"""
        SELECT n.intervention_id, n.year AS y,
               count(*) FILTER (WHERE o.intervention_id IS NULL) AS added,
               count(*) FILTER (WHERE o.intervention_id IS NOT NULL AND ({c_differs})) AS changed,
               0 AS removed,
               count(*) FILTER (WHERE o.intervention_id IS NOT NULL AND NOT ({c_differs})) AS unchanged
        FROM _new_counts n LEFT JOIN counts o ON {match}
        GROUP BY ALL
        UNION ALL
        SELECT d.intervention_id, d.y, 0, 0, count(*), 0 FROM _del_counts d
        WHERE NOT EXISTS (SELECT 1 FROM _new_counts n WHERE n.intervention_id = d.intervention_id
                          AND n.year IS NOT DISTINCT FROM d.y AND n.sex IS NOT DISTINCT FROM d.sex)
        GROUP BY ALL
    """, "_declared_counts")
    return ImportPlan(base_version=base, scope=scope, changes=changes)


def _changes(con: duckdb.DuckDBPyConnection, table: str, sql: str, declared: str) -> list[Change]:
    rows = con.execute(f"""
        SELECT c.intervention_id, c.y, sum(added), sum(changed), sum(removed), sum(unchanged),
               NOT EXISTS (SELECT 1 FROM {declared} p WHERE p.intervention_id = c.intervention_id
                           AND p.y IS NOT DISTINCT FROM c.y) AS outside
        FROM ({sql}) c GROUP BY c.intervention_id, c.y ORDER BY c.intervention_id, c.y NULLS FIRST
    """).fetchall()
    return [Change(table, str(i), None if y is None else int(y), int(a), int(ch), int(r), int(u), bool(o))
            for i, y, a, ch, r, u, o in rows]


def apply_changes(con: duckdb.DuckDBPyConnection, scope: Scope, described: set[str],
                  reach: set[str] | None = None) -> int:
    """Replace what :func:`plan_changes` decided, inside the caller's transaction.

    With ``reach`` (the interventions of a reporter), a stored participant who is also enrolled in an
    intervention outside it keeps the stored attributes and background columns: a reporter never
    changes what another intervention's data says about a person. Returns how many such participants
    the import would have changed (a conflict for an admin or analyst to resolve).
    """
    replaced = _replaced_interventions(con)
    ids = sorted(described)
    con.execute(
        "DELETE FROM components WHERE enrolment_id IN (SELECT enrolment_id FROM _del_enrolments "
        "UNION SELECT enrolment_id FROM _new_enrolments UNION SELECT enrolment_id FROM _new_components)"
    )
    if scope.mode == "intervention":
        con.execute("DELETE FROM components WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))", [replaced])
    elif scope.mode == "all":
        con.execute("DELETE FROM components")
    con.execute("DELETE FROM enrolments WHERE enrolment_id IN (SELECT enrolment_id FROM _del_enrolments)")
    con.execute("DELETE FROM counts c WHERE EXISTS (SELECT 1 FROM _del_counts d WHERE d.intervention_id = "
                "c.intervention_id AND d.y IS NOT DISTINCT FROM c.year AND d.sex IS NOT DISTINCT FROM c.sex)")
    con.execute("DELETE FROM interventions WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    if scope.mode == "year":
        con.execute("DELETE FROM budgets b WHERE EXISTS (SELECT 1 FROM _new_budgets n WHERE "
                    "n.intervention_id = b.intervention_id AND n.year IS NOT DISTINCT FROM b.year)")
    else:
        con.execute("DELETE FROM budgets WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    conflicts = _protect_participants(con, reach)
    _upsert(con, "participants", ["participant_id"])
    _upsert(con, "reference_population", ["year", "municipality_code", "group"])
    _upsert(con, "extra_values", ["entity", "entity_id", "column_name"])
    for name in ("interventions", "budgets", "enrolments", "components", "counts"):
        con.execute(f'INSERT INTO "{name}" SELECT * FROM "_new_{name}"')
    con.execute(
        "DELETE FROM extra_values WHERE entity = 'enrolments' AND entity_id NOT IN "
        "(SELECT enrolment_id FROM enrolments WHERE enrolment_id IS NOT NULL)"
    )
    return conflicts


PARTICIPANT_ATTRIBUTES = [c for c in STORE_SCHEMA["participants"] if c not in ("participant_id", "local_id")]


def _protect_participants(con: duckdb.DuckDBPyConnection, reach: set[str] | None) -> int:
    """Drop from the batch the participants (and their background columns) that ``reach`` may not change."""
    if reach is None:
        return 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _protected AS SELECT DISTINCT n.participant_id FROM _new_participants n "
        "JOIN participants p USING (participant_id) WHERE EXISTS (SELECT 1 FROM enrolments e WHERE "
        "e.participant_id = n.participant_id AND e.intervention_id NOT IN (SELECT unnest(?::VARCHAR[])))",
        [sorted(reach)],
    )
    differs = " OR ".join(f'n."{c}" IS DISTINCT FROM p."{c}"' for c in PARTICIPANT_ATTRIBUTES)
    row = con.execute(
        f"SELECT count(DISTINCT n.participant_id) FROM _new_participants n JOIN participants p USING (participant_id) "
        f"WHERE n.participant_id IN (SELECT participant_id FROM _protected) AND ({differs})"
    ).fetchone()
    con.execute("DELETE FROM _new_participants WHERE participant_id IN (SELECT participant_id FROM _protected)")
    con.execute("DELETE FROM _new_extra_values WHERE entity = 'participants' AND entity_id IN "
                "(SELECT participant_id FROM _protected)")
    return int(row[0]) if row else 0


def _upsert(con: duckdb.DuckDBPyConnection, name: str, keys: list[str]) -> None:
    match = " AND ".join(f't."{k}" IS NOT DISTINCT FROM k."{k}"' for k in keys)
    con.execute(f'DELETE FROM "{name}" t WHERE EXISTS (SELECT 1 FROM "_new_{name}" k WHERE {match})')
    con.execute(f'INSERT INTO "{name}" SELECT * FROM "_new_{name}"')
