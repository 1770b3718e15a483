"""A stored finding checked again by the publication gate before it leaves once more (the register's
download): no group size of 1 to 4, no statistic beside a withheld group, printed precision."""

from __future__ import annotations

from jamkoll.analysis.publication import republished
from jamkoll.analysis.results import Effect, Finding


def _finding(n_women: int | None, n_men: int | None, n_other: int | None = 0) -> Finding:
    return Finding(
        id="component:INS05:praktik", dimension="component", intervention="INS05", category="praktik",
        status="unjustified", year=2025, n_women=n_women, n_men=n_men, n_other=n_other,
        women_value=12.3456, men_value=30.04, reference_value=None,
        raw=Effect(-17.6944, -25.123, -10.01, 0.000123, "pp", "newcombe"),
        adjusted=Effect(-15.55, -22.0, -9.0, 0.001, "pp", "logit"), risk_ratio=None, q_raw=0.0012345,
        q_adjusted=0.002, adjusted_for=("age_band",))


def test_a_small_group_is_withheld_with_every_statistic() -> None:
    f = republished(_finding(3, 40), threshold=5)
    assert f.n_women is None and f.n_men == 40
    assert f.women_value is None and f.men_value is None
    assert f.raw.estimate is None and f.raw.ci_low is None and f.adjusted is not None
    assert f.adjusted.estimate is None and f.q_raw is None
    assert "withheld_small_cells" in f.notes


def test_a_published_finding_keeps_its_figures_at_printed_precision() -> None:
    f = republished(_finding(40, 38, 2), threshold=5)
    assert (f.n_women, f.n_men, f.n_other) == (40, 38, None)  # other and unknown sex alone: only its count goes
    assert f.women_value == 12.3 and f.men_value == 30.0
    assert f.raw.estimate == -17.7 and f.raw.ci_low == -25.1 and f.q_raw == 0.0012
    assert "withheld_small_cells" not in f.notes
    assert republished(_finding(0, 40), threshold=5).n_women == 0  # zeros are published
