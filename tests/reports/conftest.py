"""A hand-made Analysis for the report tests, so they do not depend on the analysis engine."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jamkoll.analysis.config import AnalysisConfig
from jamkoll.analysis.disclosure import Protection
from jamkoll.analysis.oaxaca import oaxaca
from jamkoll.analysis.results import Analysis, Effect, Finding, ResultTable

NAMES = {
    "INS01": "Steg till arbete",
    "INS03": "Jobbcoach Mora",
    "INS05": "Jobbspåret",
    "INS12": "Pilot: Hälsa i fokus",
}
COVARIATES = ("age_band", "education", "income_support_at_start", "months_in_support")


def pp(estimate: float, half: float = 4.0, p: float = 0.01, method: str = "newcombe") -> Effect:
    return Effect(estimate, estimate - half, estimate + half, p, "pp", method)


def finding(
    dimension: str,
    intervention: str | None,
    category: str,
    status: str,
    *,
    n_women: int = 120,
    n_men: int = 100,
    women: float | None = 40.0,
    men: float | None = 45.0,
    reference: float | None = None,
    raw: Effect | None = None,
    adjusted: Effect | None = None,
    year: int = 2025,
    n_other: int = 0,
) -> Finding:
    raw = raw or pp((women or 0) - (men or 0))
    return Finding(
        id=f"{dimension}:{intervention or 'all'}:{category}",
        dimension=dimension,  # type: ignore[arg-type]
        intervention=intervention,
        category=category,
        status=status,
        year=year,  # type: ignore[arg-type]
        n_women=n_women,
        n_men=n_men,
        n_other=n_other,
        women_value=women,
        men_value=men,
        reference_value=reference,
        raw=raw,
        adjusted=adjusted,
        risk_ratio=Effect(0.8, 0.65, 0.95, 0.01, "ratio", "katz")
        if dimension in ("component", "outcome")
        else None,
        q_raw=raw.p_value,
        q_adjusted=adjusted.p_value if adjusted else None,
        adjusted_for=COVARIATES if adjusted else (),
    )


def _findings(year: int, flagged_praktik: bool) -> list[Finding]:
    logit = "logit-ame"
    return [
        finding(
            "participation",
            "INS01",
            "share_of_women",
            "none",
            n_women=300,
            n_men=210,
            women=58.8,
            men=41.2,
            reference=64.0,
            raw=Effect(-5.2, -9.5, -0.9, 0.04, "pp", "binomial-exact"),
            year=year,
            n_other=3,
        ),
        finding(
            "participation",
            "INS03",
            "share_of_women",
            "none",
            n_women=150,
            n_men=170,
            women=46.9,
            men=53.1,
            reference=47.0,
            raw=Effect(-0.1, -5.6, 5.5, 0.97, "pp", "binomial-exact"),
            year=year,
        ),
        finding(
            "participation",
            "INS05",
            "share_of_women",
            "unjustified",
            n_women=60,
            n_men=154,
            women=28.0,
            men=72.0,
            reference=45.0,
            raw=Effect(-17.0, -23.0, -10.7, 0.0001, "pp", "binomial-exact"),
            year=year,
        ),
        finding(
            "participation",
            "INS12",
            "share_of_women",
            "none",
            n_women=3,
            n_men=9,
            women=25.0,
            men=75.0,
            reference=58.0,
            raw=Effect(-33.0, -60.0, 5.0, 0.2, "pp", "binomial-exact"),
            year=year,
        ),
        finding(
            "component",
            None,
            "praktik",
            "unjustified" if flagged_praktik else "explained",
            women=22.0,
            men=31.0,
            n_women=900,
            n_men=800,
            adjusted=pp(-8.0, 3.0, 0.0002, logit),
            year=year,
        ),
        finding(
            "component",
            None,
            "samtalsstöd",
            "unjustified",
            women=48.0,
            men=41.0,
            n_women=900,
            n_men=800,
            adjusted=pp(6.0, 3.0, 0.001, logit),
            year=year,
        ),
        finding(
            "component",
            None,
            "arbetsträning",
            "none",
            women=35.0,
            men=36.0,
            n_women=900,
            n_men=800,
            adjusted=pp(-1.0, 3.0, 0.5, logit),
            year=year,
        ),
        finding(
            "component",
            None,
            "kartläggning",
            "none",
            women=86.0,
            men=85.0,
            n_women=900,
            n_men=800,
            adjusted=pp(0.5, 2.0, 0.7, logit),
            year=year,
        ),
        finding(
            "component",
            "INS03",
            "praktik",
            "explained",
            women=30.0,
            men=41.0,
            n_women=150,
            n_men=170,
            adjusted=pp(-3.0, 6.0, 0.3, logit),
            year=year,
        ),
        finding(
            "outcome",
            None,
            "arbete",
            "none",
            women=24.0,
            men=26.0,
            n_women=700,
            n_men=650,
            adjusted=pp(-1.0, 3.0, 0.4, logit),
            year=year,
        ),
        finding(
            "outcome",
            None,
            "fortsatt_rehabilitering",
            "explained",
            women=30.0,
            men=21.0,
            n_women=700,
            n_men=650,
            adjusted=pp(1.5, 3.0, 0.3, logit),
            year=year,
        ),
        finding(
            "outcome",
            "INS03",
            "arbete",
            "unjustified",
            women=18.0,
            men=33.0,
            n_women=130,
            n_men=140,
            adjusted=pp(-14.0, 7.0, 0.0005, logit),
            year=year,
        ),
        finding(
            "resource",
            "INS01",
            "hours",
            "unjustified",
            women=30.1,
            men=40.6,
            n_women=300,
            n_men=210,
            raw=Effect(-0.26, -0.33, -0.18, 0.0001, "relative", "welch"),
            adjusted=Effect(-0.25, -0.32, -0.17, 0.0001, "relative", "ols-hc1"),
            year=year,
        ),
        finding(
            "resource",
            None,
            "duration_days",
            "explained",
            women=260.0,
            men=231.0,
            n_women=900,
            n_men=800,
            raw=Effect(29.0, 15.0, 43.0, 0.0001, "days", "welch"),
            adjusted=Effect(4.0, -9.0, 17.0, 0.5, "days", "ols-hc1"),
            year=year,
        ),
        finding(
            "resource",
            "INS03",
            "cost_sek",
            "none",
            women=21500.0,
            men=22800.0,
            n_women=150,
            n_men=170,
            raw=Effect(-1300.0, -3500.0, 900.0, 0.25, "sek", "welch"),
            adjusted=Effect(-800.0, -3000.0, 1400.0, 0.5, "sek", "ols-hc1"),
            year=year,
        ),
        finding(
            "component",
            "INS12",
            "samtalsstöd",
            "none",
            women=66.7,
            men=44.4,
            n_women=3,
            n_men=9,
            adjusted=None,
            year=year,
        ),
    ]


def _tables() -> dict[str, ResultTable]:
    index = pd.Index(["INS01", "INS03", "INS05", "INS12", "Totalt"], name="intervention")
    counts = pd.DataFrame(
        {
            "women": [300, 150, 60, pd.NA, 510],
            "men": [210, 170, 154, 9, 543],
            "Totalt": [510, 320, 214, pd.NA, 1053],
        },
        index=index,
    ).astype("Int64")
    hidden = pd.DataFrame(False, index=index, columns=counts.columns)
    hidden.loc["INS12", ["women", "Totalt"]] = True
    # Secondary suppression as the disclosure module would do it: the total would reveal the hidden cell.
    counts.loc["Totalt", "women"] = pd.NA
    counts.loc["Totalt", "Totalt"] = pd.NA
    hidden.loc["Totalt", ["women", "Totalt"]] = True
    participation = ResultTable(
        "participation",
        counts,
        hidden,
        Protection("suppression", 5, "..", secondary=True),
        kind="counts",
    )
    target = ResultTable(
        "target_group",
        pd.DataFrame(
            {"women": [1200, 940], "men": [680, 1060], "share_of_women": [63.8, 47.0]},
            index=pd.Index(["sjukpenning", "försörjningsstöd"], name="target_group"),
        ),
        kind="reference",
    )
    ages = pd.MultiIndex.from_product(
        [["18-24", "25-29", "30-39"], ["women", "men"]], names=["age_band", "sex"]
    )
    inter = pd.DataFrame(
        {"född i Sverige": [80, 90, 150, 140, 200, 190], "utrikes född": [pd.NA, 12, 40, 38, 60, pd.NA]},
        index=ages,
    ).astype("Int64")
    inter_hidden = inter.isna()
    intersectional = ResultTable(
        "intersectional_age_born_abroad",
        inter,
        inter_hidden,
        Protection("suppression", 5, ".."),
        kind="counts",
    )
    years = pd.Index([2021, 2022, 2023, 2024, 2025], name="year")
    trend = ResultTable(
        "participation_by_year",
        pd.DataFrame(
            {"women": [480, 500, 520, 505, 510], "men": [470, 490, 530, 540, 543]}, index=years
        ).astype("Int64"),
        kind="counts",
    )
    wide_cols = [f"c{i}" for i in range(13)]
    wide = ResultTable(
        "components_by_intervention",
        pd.DataFrame(
            np.round(np.linspace(5, 95, 4 * 13).reshape(4, 13), 1),
            index=pd.Index(["INS01", "INS03", "INS05", "Totalt"], name="intervention"),
            columns=wide_cols,
        ),
        kind="shares",
    )
    return {t.key: t for t in (participation, target, intersectional, trend, wide)}


def _decompositions() -> dict[tuple[str, str | None], dict[str, object]]:
    rng = np.random.default_rng(1)
    n = 400
    women = rng.random(n) < 0.55
    support = np.where(rng.random(n) < np.where(women, 0.6, 0.35), "sjukpenning", "försörjningsstöd")
    age = rng.choice(["18-24", "25-29", "30-39"], n)
    days = 200 + 60 * (support == "sjukpenning") + 10 * (age == "30-39") + rng.normal(0, 40, n) + 5 * women
    frame = pd.DataFrame(
        {
            "days": days,
            "sex": np.where(women, "women", "men"),
            "income_support_at_start": support,
            "age_band": age,
        }
    )
    result = oaxaca(
        frame,
        "days",
        "sex",
        ["income_support_at_start", "age_band"],
        categorical=["income_support_at_start", "age_band"],
        group_a="women",
        bootstrap=0,
    )
    return {("duration_days", None): {"resource": "duration_days", "intervention": None, **result.to_dict()}}


def make_analysis(year: int = 2025, *, flagged_praktik: bool = True) -> Analysis:
    return Analysis(
        config=AnalysisConfig(year=year, threshold=5, legitimate_covariates=tuple(COVARIATES), q_level=0.05,
                              disclosure_method="suppress"),
        findings=_findings(year, flagged_praktik),
        tables=_tables(),
        decompositions=_decompositions(),
        meta={"organisation": "Samordningsförbundet Testbygden", "interventions": dict(NAMES)},
    )


@pytest.fixture(scope="session")
def analysis() -> Analysis:
    return make_analysis()


@pytest.fixture(scope="session")
def previous() -> Analysis:
    before = make_analysis(2024, flagged_praktik=False)
    # Last year the work gap in INS03 was not there, and another gap was flagged that is gone now.
    before.findings = [
        dataclasses.replace(f, status="none") if f.id == "outcome:INS03:arbete" else f
        for f in before.findings
    ]
    before.findings.append(
        finding(
            "outcome",
            "INS05",
            "studier",
            "unjustified",
            women=8.0,
            men=15.0,
            year=2024,
            adjusted=pp(-7.0, 3.0, 0.001, "logit-ame"),
        )
    )
    return before


@pytest.fixture(scope="session")
def written(
    tmp_path_factory: pytest.TempPathFactory, analysis: Analysis, previous: Analysis
) -> dict[str, Path]:
    """All four formats of the board report, written once for the whole session."""
    from jamkoll.reports import write_report

    out = tmp_path_factory.mktemp("report")
    return write_report(analysis, out, previous=previous)
