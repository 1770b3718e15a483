"""Attack the demo association's published outputs with the auditor (issue 11, "Done when").

The 2024 and 2025 reports (overall and every steering-group report) and ``analysis.json`` are
written once per session, then audited together. Before the publication gate the auditor exposed 441
cells and found 3 112 direct leaks in these outputs; with the gate (cell key counts, derived figures
from published counts) it must find none, and every cell must be audited (no contradiction that
would leave a cell out).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_outputs import installation_key, true_counts, write_all_years, write_demo_outputs

from jamkoll.audit import AuditResult, audit_paths


@pytest.fixture(scope="session")
def demo_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The installation key of every demo output of the session (whichever test writes them first)."""
    return tmp_path_factory.mktemp("demo-installation") / "pseudonym.key"


@pytest.fixture(scope="session")
def demo_published(tmp_path_factory: pytest.TempPathFactory, demo_store: Path, demo_key: Path) -> Path:
    with installation_key(demo_key):
        return write_demo_outputs(demo_store, tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="session")
def demo_audit(demo_published: Path) -> AuditResult:
    return audit_paths([demo_published])


@pytest.mark.slow
def test_no_hidden_cell_of_the_demo_outputs_can_be_recomputed(demo_audit: AuditResult) -> None:
    assert demo_audit.exposures == [], demo_audit.summary(limit=40)
    assert demo_audit.conflicts == [], "contradicting outputs leave cells unaudited"


@pytest.mark.slow
def test_the_demo_outputs_leak_nothing_directly(demo_audit: AuditResult) -> None:
    assert demo_audit.leaks == [], demo_audit.summary(limit=40)


@pytest.mark.slow
def test_the_auditor_read_every_demo_output(demo_published: Path, demo_audit: AuditResult) -> None:
    written = sorted(str(p.relative_to(demo_published.parent)) for p in demo_published.rglob("*")
                     if p.suffix in (".xlsx", ".json"))
    assert sorted(demo_audit.files) == written
    assert len(written) >= 2 * 3  # two years: overall report, analysis.json, steering-group reports
    assert demo_audit.audited > 0  # hidden cells were found and attacked


@pytest.mark.slow
def test_every_interval_the_auditor_proves_contains_the_true_count(demo_store: Path, demo_audit: AuditResult) -> None:
    # No false alarm: checked against the same analyses run without suppression.
    truth = true_counts(demo_store)
    checked = [(e.cell, e.low, e.high, truth[e.cell]) for e in demo_audit.exposures if e.cell in truth]
    wrong = [c for c in checked if not c[1] <= c[3] <= c[2]]
    assert wrong == []
    assert len(checked) >= 0.9 * len(demo_audit.exposures)


@pytest.mark.slow
def test_the_all_years_analysis_json_is_read_without_contradictions(
        tmp_path_factory: pytest.TempPathFactory, demo_store: Path, demo_published: Path, demo_key: Path) -> None:
    # Contradictions the auditor found in the all-years file (cells left unaudited): the total rows of
    # the tables by age band and by income support at start count person-value pairs, not persons; the
    # findings' group sizes are published counts, not rounded to tens; a rate publishes its numerator
    # perturbed, not the true count.
    with installation_key(demo_key):  # the same installation as the reports
        all_years = write_all_years(demo_store, tmp_path_factory.mktemp("all-years"))
    alone = audit_paths([all_years])
    assert alone.conflicts == [], alone.summary(limit=20)
    together = audit_paths([all_years, demo_published])
    assert together.conflicts == [], together.summary(limit=20)
    assert together.exposures == [] and together.leaks == [], together.summary(limit=40)
