"""What an analysis run was asked to do: :class:`AnalysisConfig`, typed and frozen.

The engine reads it, and every :class:`jamkoll.analysis.results.Analysis` carries the one it was made
with (without the installation key), so the reports and the web read typed settings, not a dict.
Its JSON form (``to_dict``, the ``config`` of ``analysis.json``) is documented in
``docs/analysis-json.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from jamkoll.analysis.disclosure import DisclosurePolicy

# Legitimate needs in order of priority: a small group is adjusted for as many as its data can carry.
DEFAULT_COVARIATES = (
    "income_support_at_start", "months_band", "age_band", "education", "referred_by", "intervention", "year",
)

@dataclass(frozen=True)
class AnalysisConfig:
    """What to analyse and how. Every result states the covariates it was adjusted for.

    ``year``: analyse enrolments that started this year (None: all years).
    ``interventions``: restrict to these interventions (a steering group's report).
    ``legitimate_covariates``: the needs that may justify a difference (configuration, not code).
    ``min_difference_pp``: the materiality margin for rates and shares, in percentage points: the
    smallest difference that matters. A difference is flagged only when at least this large, and is
    ``explained`` only when the adjusted interval lies within ± this margin.
    ``min_relative_resource_gap``: the same margin for resources (hours, cost, days), as a share of
    the men's mean (0.10: ± 10 % of the men's mean, in the resource's unit).
    ``min_per_sex``: fewer women or men than this in a scope: the comparison is not made.
    ``bootstrap``: replicates for the decompositions' standard errors (at least 200 are used; 0: none).
    ``tables``: also build the published tables and the decompositions (False: findings only, e.g.
    for simulations and quick checks).
    """

    year: int | None = None
    interventions: tuple[str, ...] | None = None
    legitimate_covariates: tuple[str, ...] = DEFAULT_COVARIATES
    min_difference_pp: float = 5.0
    min_relative_resource_gap: float = 0.10
    q_level: float = 0.05
    threshold: int = 5
    disclosure_method: Literal["suppress", "cell_key"] = "cell_key"
    min_per_sex: int = 10
    bootstrap: int = 200
    seed: int = 0
    per_intervention: bool = True
    # The installation key (record keys of the cell key method): never serialised or shown.
    secret: bytes | None = field(default=None, repr=False, compare=False)
    tables: bool = True
    # False: the findings as estimated, at full precision and with true group sizes, for simulations
    # and method checks. Never published: the CLI, the reports and the web always use True.
    publish: bool = True

    def policy(self) -> DisclosurePolicy:
        # Tables' margins are the code "total" (the reports write "Totalt"/"Total").
        return DisclosurePolicy(threshold=self.threshold, method=self.disclosure_method, secret=self.secret,
                                margin_label="total")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("secret", None)
        data["interventions"] = list(self.interventions) if self.interventions else None
        data["legitimate_covariates"] = list(self.legitimate_covariates)
        return data

    def published(self) -> AnalysisConfig:
        """The configuration as a result carries it: without the installation key."""
        return replace(self, secret=None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnalysisConfig:
        """The configuration from its JSON form (``to_dict``); unknown keys are ignored."""
        known = {f.name for f in fields(cls)} - {"secret"}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("interventions") is not None:
            values["interventions"] = tuple(str(i) for i in values["interventions"])
        if values.get("legitimate_covariates") is not None:
            values["legitimate_covariates"] = tuple(str(c) for c in values["legitimate_covariates"])
        return cls(**values)
