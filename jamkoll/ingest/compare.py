"""Compare two versions of a store: rows per table, and enrolments per intervention and year.

Both versions are read-only files; they are attached to an in-memory DuckDB and compared there.
An enrolment is *added* when its id is in the newer version only, *removed* when in the older only,
*changed* when a stored column differs, else *unchanged* (its year: the start date's, in the newer
version for all but removed enrolments).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from jamkoll.ingest.scope import Change
from jamkoll.ingest.store import DATA_TABLES, STORE_SCHEMA, Store


@dataclass
class VersionComparison:
    """Version ``old`` against version ``new`` of one store."""

    old: int
    new: int
    # (table, rows in old, rows in new)
    tables: list[tuple[str, int, int]] = field(default_factory=list)
    enrolments: list[Change] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return all(a == b for _, a, b in self.tables) and not any(
            c.added or c.changed or c.removed for c in self.enrolments)


def compare_versions(store: Store, old: int, new: int) -> VersionComparison:
    """What changed from version ``old`` to version ``new`` (raises VersionNotFound for a removed version)."""
    old_path, new_path = store.version_database(old), store.version_database(new)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{old_path}' AS old_v (READ_ONLY)")
        con.execute(f"ATTACH '{new_path}' AS new_v (READ_ONLY)")
        tables = []
        for name in DATA_TABLES:
            counts = con.execute(f'SELECT (SELECT count(*) FROM old_v."{name}"), '
                                 f'(SELECT count(*) FROM new_v."{name}")').fetchone()
            assert counts is not None
            tables.append((name, int(counts[0]), int(counts[1])))
        differs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in STORE_SCHEMA["enrolments"])
        rows = con.execute(f"""
            SELECT intervention_id, y, sum(a), sum(c), sum(r), sum(u) FROM (
              SELECT n.intervention_id, year(n.start_date) AS y,
                     count(*) FILTER (WHERE o.enrolment_id IS NULL) AS a,
                     count(*) FILTER (WHERE o.enrolment_id IS NOT NULL AND ({differs})) AS c,
                     0 AS r,
                     count(*) FILTER (WHERE o.enrolment_id IS NOT NULL AND NOT ({differs})) AS u
              FROM new_v.enrolments n LEFT JOIN old_v.enrolments o USING (enrolment_id) GROUP BY ALL
              UNION ALL
              SELECT o.intervention_id, year(o.start_date), 0, 0, count(*), 0 FROM old_v.enrolments o
              WHERE o.enrolment_id NOT IN (SELECT enrolment_id FROM new_v.enrolments WHERE enrolment_id IS NOT NULL)
              GROUP BY ALL
            ) GROUP BY intervention_id, y ORDER BY intervention_id, y NULLS FIRST
        """).fetchall()
    finally:
        con.close()
    changes = [Change("enrolments", str(i), None if y is None else int(y), int(a), int(c), int(r), int(u))
               for i, y, a, c, r, u in rows]
    return VersionComparison(old, new, tables, changes)
