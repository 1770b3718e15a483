"""The analysis hands the reports numbers and codes: a typed configuration, tables with a topic and coded
columns (no display labels, in any language), and decompositions keyed by (resource, intervention)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jamkoll.analysis import Analysis, AnalysisConfig, analyze
from jamkoll.analysis.results import COLUMNS, TOPICS
from jamkoll.ingest import Store

SECRET = b"contract-test-key"
# Codes the tables' index names may be (the intervention, the year, a component, a covariate ...).
INDEX_CODES = {"intervention", "intervention_id", "year", "component", "group", "outcome", "resource",
               "age_band", "education", "income_support_at_start", "born_abroad", "disability"}
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Letters only Swedish words have, and Swedish display words the engine used to write.
SWEDISH = re.compile(r"[åäöÅÄÖ]|kvinn|totalt|andel|medel|resurs|timmar", re.IGNORECASE)


@pytest.fixture(scope="module")
def demo_2025(demo_store: Path) -> Analysis:
    return analyze(Store(demo_store), AnalysisConfig(year=2025, secret=SECRET, bootstrap=0))


def test_config_is_the_typed_configuration_without_the_key(demo_2025: Analysis) -> None:
    assert isinstance(demo_2025.config, AnalysisConfig)
    assert demo_2025.config.year == 2025 and demo_2025.config.secret is None
    data = demo_2025.to_dict()["config"]
    assert "secret" not in data and data["year"] == 2025
    assert AnalysisConfig.from_dict(json.loads(json.dumps(data))) == demo_2025.config


def test_tables_have_a_topic_and_coded_columns(demo_2025: Analysis) -> None:
    assert demo_2025.tables
    for key, table in demo_2025.tables.items():
        assert table.topic in TOPICS and table.topic != "other", key
        for column in table.frame.columns:
            assert column in COLUMNS or column == "total" or str(column).isdigit(), (key, column)
        for name in table.frame.index.names:
            assert name in INDEX_CODES, (key, name)
    resources = demo_2025.tables["resources_by_sex"].frame
    assert list(resources.index) == ["hours", "cost_sek", "duration_days"]
    assert "total" in demo_2025.tables["participants_by_intervention"].frame.index


def test_no_display_word_in_any_column_or_index_name(demo_2025: Analysis) -> None:
    for key, table in demo_2025.tables.items():
        names = [str(c) for c in table.frame.columns] + [str(n) for n in table.frame.index.names]
        assert not [n for n in names if SWEDISH.search(n) or not (CODE.match(n) or n.isdigit())], key


def test_decompositions_are_keyed_by_resource_and_intervention(demo_2025: Analysis) -> None:
    assert demo_2025.decompositions
    for (resource, intervention), d in demo_2025.decompositions.items():
        assert resource in ("hours", "cost_sek", "duration_days")
        assert d["resource"] == resource and d["intervention"] == intervention
    assert ("hours", None) in demo_2025.decompositions
    data = demo_2025.to_dict()
    assert data["schema"] == "jamkoll.analysis/4"
    assert "hours:all" in data["decompositions"]
    assert data["tables"]["participants_by_intervention"]["columns"][1:] == [
        "women", "men", "other_unknown", "total", "share_women"]


def test_an_analysis_kept_before_the_types_unpickles_typed(demo_2025: Analysis) -> None:
    """The web app keeps analyses as pickles: one written before the configuration was typed reads typed."""
    import pickle

    old = Analysis.__new__(Analysis)
    old.__dict__.update(config=demo_2025.config.to_dict(), findings=[], tables={}, meta={},
                        decompositions={"hours:INS07": {"resource": "hours", "intervention": "INS07"}})
    kept = pickle.loads(pickle.dumps(old))
    assert kept.config == demo_2025.config
    assert list(kept.decompositions) == [("hours", "INS07")]
    again = pickle.loads(pickle.dumps(demo_2025))
    assert again.config == demo_2025.config and list(again.decompositions) == list(demo_2025.decompositions)
