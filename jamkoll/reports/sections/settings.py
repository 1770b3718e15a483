"""Report settings read from the analysis: language, threshold, year, organisation, intervention names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jamkoll.analysis.config import AnalysisConfig
from jamkoll.analysis.results import Analysis, Finding
from jamkoll.reports.phrases import T

MAX_EXPLAINED_BULLETS = 1


MAX_DECOMPOSITION_CHARTS = 4


RESOURCE_UNITS = {"hours": "hours", "cost_sek": "sek", "duration_days": "days"}


@dataclass
class Settings:
    lang: str
    threshold: int
    year: int | None
    organisation: str
    names: dict[str, str]
    intervention: str | None
    restricted: bool  # the analysis itself covers only the chosen intervention
    config: AnalysisConfig
    meta: dict[str, Any]
    t: dict[str, str] = field(default_factory=dict)

    def name(self, intervention: str | None, *, with_id: bool = False) -> str:
        if intervention is None:
            return self.t["all_interventions"]
        name = self.names.get(intervention, "")
        if not name or name == intervention:
            return intervention
        return f"{name} ({intervention})" if with_id else name


def read_settings(analysis: Analysis, lang: str, intervention: str | None) -> Settings:
    config, meta = analysis.config, analysis.meta or {}
    threshold = config.threshold
    year = config.year
    organisation = str(meta.get("organisation") or "")
    names = _intervention_names(meta.get("interventions"))
    known = {f.intervention for f in analysis.findings if f.intervention}
    restricted = intervention is not None and list(config.interventions or ()) == [intervention]
    if (
        intervention is not None
        and intervention not in known
        and intervention not in names
        and not restricted
    ):
        raise ValueError(
            f"intervention {intervention!r} is not in the analysis "
            f"(known: {', '.join(sorted(known | set(names))) or 'none'})"
        )
    return Settings(
        lang=lang,
        threshold=threshold,
        year=year,
        organisation=organisation,
        names=names,
        intervention=intervention,
        restricted=restricted,
        config=config,
        meta=meta,
        t=T[lang],
    )


def _intervention_names(raw: Any) -> dict[str, str]:
    """Intervention id -> name from ``{id: name}``, ``{id: {"name": ...}}`` or ``[{"id", "name"}]``."""
    names: dict[str, str] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, str):
                names[str(key)] = value
            elif isinstance(value, dict) and value.get("name"):
                names[str(key)] = str(value["name"])
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                ident = item.get("id") or item.get("intervention_id") or item.get("intervention")
                if ident and item.get("name"):
                    names[str(ident)] = str(item["name"])
    return names


def select_findings(findings: Sequence[Finding], s: Settings) -> list[Finding]:
    if s.intervention is None:
        return list(findings)
    return [f for f in findings if f.intervention == s.intervention]


def previous_label(previous: Analysis | None, s: Settings) -> str:
    if previous is None:
        return s.t["prev_year"]
    year = previous.config.year
    return str(year) if year is not None else s.t["prev_year"]
