"""The words of the measurable goals' indicators (:mod:`jamkoll.analysis.goals` gives their codes)."""

from __future__ import annotations

from typing import Any

__all__ = ["INDICATOR_LABELS", "indicator_label", "unit_word"]

INDICATOR_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "outcome_share": "Andel som når utfallet efter avslut",
        "component_share": "Andel som erbjuds delinsatsen",
        "mean_hours": "Personaltid per deltagare (medelvärde)",
        "mean_cost": "Kostnad per deltagare (medelvärde)",
        "mean_days": "Tid i insatsen (medelvärde)",
        "participants": "Antal deltagare",
        "participant_share": "Andel av deltagarna",
        "target_group_reach": "Deltagare per 100 i målgruppen",
    },
    "en": {
        "outcome_share": "Share reaching the outcome at exit",
        "component_share": "Share offered the component",
        "mean_hours": "Staff hours per participant (mean)",
        "mean_cost": "Cost per participant (mean)",
        "mean_days": "Time in the intervention (mean)",
        "participants": "Number of participants",
        "participant_share": "Share of the participants",
        "target_group_reach": "Participants per 100 of the target group",
    },
}
_UNITS: dict[str, dict[str, str]] = {
    "sv": {"percent": "procent", "count": "antal", "sek": "kronor", "hours": "timmar", "days": "dagar"},
    "en": {"percent": "per cent", "count": "number", "sek": "SEK", "hours": "hours", "days": "days"},
}


def indicator_label(spec: Any, lang: str = "sv") -> str:
    """An indicator (an :class:`jamkoll.analysis.goals.IndicatorSpec`) in words, with its parameter:
    "Andel som når utfallet efter avslut: arbete"; an unknown kind as its code."""
    labels = INDICATOR_LABELS["en" if lang == "en" else "sv"]
    base = labels.get(spec.kind, spec.kind)
    return f"{base}: {spec.parameter.replace('_', ' ')}" if spec.parameter else base


def unit_word(unit: str, lang: str = "sv") -> str:
    """An indicator's unit in words (``sek`` -> "kronor"/"SEK")."""
    return _UNITS["en" if lang == "en" else "sv"].get(unit, unit)
