"""The analysis returns numbers and codes only: no sentences, no display labels (issue 11, item 5)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd

import jamkoll.analysis
from jamkoll.analysis.disclosure import Protection
from jamkoll.analysis.results import ALL_ENROLMENTS, YES, Analysis, ResultTable, protection_from_note

PACKAGE = Path(jamkoll.analysis.__file__).parent
SWEDISH = re.compile("[åäöÅÄÖ]")
# String literals with Swedish letters that are data, not words for a reader.
ALLOWED = {
    "okänd": "the data contract's code for an unknown value (age band, education, outcome ...)",
    "övrigt": "the merged covariate level of a decomposition (a data value, reported as such)",
    "(?:under|färre än) (\\d+)": "reads the threshold out of the Swedish notes of tables pickled before schema 4",
    "Medelvärden": "recognises the Swedish note of a resource table pickled before schema 4",
    "Värden under": "recognises the Swedish suppression note of a table pickled before schema 4",
    "och nollor": "recognises the Swedish suppression note of a table pickled before schema 4",
    "andra värden har dolts": "recognises the Swedish suppression note of a table pickled before schema 4",
    "uppgift saknas": "the row label of tables pickled before schema 4, turned into the code 'missing'",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _raised(tree: ast.AST) -> set[int]:
    """String constants inside ``raise`` statements: messages to a developer, not published words."""
    return {id(n) for node in ast.walk(tree) if isinstance(node, ast.Raise) for n in ast.walk(node)}


def test_the_analysis_package_holds_no_swedish_words() -> None:
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree) | _raised(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                    and SWEDISH.search(node.value) and node.value not in ALLOWED):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not found, "words belong in jamkoll.reports:\n" + "\n".join(found)


def test_the_scan_finds_a_sentence() -> None:
    """The scan above would catch a title written in the analysis (so it can fail)."""
    tree = ast.parse('TITLE = "Deltagare per insats och kön"\n')
    constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert any(SWEDISH.search(c) and c not in ALLOWED for c in constants)


def test_a_result_table_has_no_words() -> None:
    fields = set(ResultTable.__dataclass_fields__)
    assert fields == {"key", "frame", "suppressed", "protection", "kind", "topic"}
    frame = pd.DataFrame({"women": [10], "men": [12]}, index=pd.Index([ALL_ENROLMENTS], name="group"))
    data = ResultTable("enrolments_by_sex", frame, frame.isna(), Protection("suppression", 5, "..")).to_dict()
    assert not {"title", "title_en", "note", "note_en"} & set(data)
    assert data["protection"] == {"method": "suppression", "threshold": 5, "marker": "..", "zeros": False,
                                  "secondary": False}
    assert data["rows"] == [{"group": ALL_ENROLMENTS, "women": 10, "men": 12}]


def test_old_notes_become_codes() -> None:
    assert protection_from_note("") == Protection()
    assert protection_from_note(
        "Värden under 5 redovisas inte (markerade med ..) och några andra värden har dolts så att de inte kan "
        "räknas fram ur summorna.") == Protection("suppression", 5, "..", zeros=False, secondary=True)
    assert protection_from_note("Värden under 3 och nollor redovisas inte (markerade med x).") == Protection(
        "suppression", 3, "x", zeros=True, secondary=False)
    assert protection_from_note("Antalen är skyddade med cell key-metoden (som SCB använder): ...") == Protection(
        "cell_key", 5)
    assert protection_from_note("Medelvärden för grupper med färre än 7 personer redovisas inte.") == Protection(
        "min_group", 7)


def test_a_table_pickled_before_the_codes_still_loads() -> None:
    """The web app keeps pickled analyses: a table with titles, notes and worded rows (schema 3) loads as
    codes."""
    frame = pd.DataFrame({"women": [10, 7, 17], "men": [12, 8, 20]},
                         index=pd.Index(["INS01 Steg till arbete", "INS02", "total"], name="intervention"))
    old_table = ResultTable.__new__(ResultTable)
    old_table.__setstate__({
        "key": "participants_by_intervention", "title": "Deltagare per insats och kön",
        "title_en": "Participants by intervention and sex", "frame": frame, "suppressed": frame.isna(),
        "note": "Värden under 5 redovisas inte (markerade med ..).", "note_en": "Counts under the threshold ...",
        "kind": "counts", "topic": "participation"})
    ground = pd.DataFrame({"women": [10, 7, 5]}, index=pd.Index(["ja", "nej", "uppgift saknas"], name="born_abroad"))
    old_ground = ResultTable.__new__(ResultTable)
    old_ground.__setstate__({"key": "sex_by_born_abroad", "title": "t", "title_en": "t", "frame": ground,
                             "suppressed": None, "note": "", "note_en": "", "kind": "intersectional",
                             "topic": "intersectional"})
    assert not hasattr(old_table, "title") and not hasattr(old_table, "note")
    assert old_table.protection == Protection("suppression", 5, "..")
    analysis = Analysis.__new__(Analysis)
    analysis.__setstate__({"config": {}, "findings": [], "meta": {"interventions": {"INS01": "Steg till arbete"}},
                           "tables": {"participants_by_intervention": old_table, "sex_by_born_abroad": old_ground},
                           "decompositions": {}})
    table = analysis.tables["participants_by_intervention"]
    assert list(table.frame.index) == ["INS01", "INS02", "total"] and table.frame.index.name == "intervention"
    assert table.suppressed is not None and list(table.suppressed.index) == ["INS01", "INS02", "total"]
    assert list(analysis.tables["sex_by_born_abroad"].frame.index) == [YES, "no", "missing"]
    assert analysis.to_dict()["tables"]["participants_by_intervention"]["rows"][0]["intervention"] == "INS01"


def test_an_old_pickle_loads_through_pickle() -> None:
    """The bytes the web app kept before schema 4 (a table whose state holds titles and notes) load."""
    import pickle

    frame = pd.DataFrame({"women": [10]}, index=pd.Index(["Alla inskrivningar"], name="group"))
    old = ResultTable.__new__(ResultTable)
    old.__dict__.update({"key": "enrolments_by_sex", "title": "Inskrivningar per kön", "title_en": "Enrolments by sex",
                         "frame": frame, "suppressed": None, "note": "", "note_en": "", "kind": "counts",
                         "topic": "participation"})
    analysis = Analysis.__new__(Analysis)
    analysis.__dict__.update({"config": {}, "findings": [], "tables": {"enrolments_by_sex": old},
                              "decompositions": {}, "meta": {}})
    loaded = pickle.loads(pickle.dumps(analysis))  # noqa: S301 (bytes made here)
    table = loaded.tables["enrolments_by_sex"]
    assert table.protection == Protection() and "title" not in table.__dict__
    assert list(table.frame.index) == [ALL_ENROLMENTS]
    assert table.to_dict()["rows"] == [{"group": ALL_ENROLMENTS, "women": 10}]
