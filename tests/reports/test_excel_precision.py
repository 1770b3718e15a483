"""The workbook holds numbers at the precision the report prints (no full-precision floats)."""

from __future__ import annotations

import pytest

from jamkoll.reports.excel import printed_precision


@pytest.mark.parametrize(("fmt", "value", "expected"), [
    ("0.0", 4.554079696394687, 4.6),
    ("+0.0;-0.0;0.0", -3.589196872778962, -3.6),
    ("#,##0", 527.4, 527),
    ("+#,##0;-#,##0;0", -12.6, -13),
    ("0.00", 0.23456, 0.23),
    ("0.0%", 0.45541, 0.455),
    ("General", 0.012345678, 0.01235),
])
def test_printed_precision(fmt: str, value: float, expected: float) -> None:
    assert printed_precision(value, fmt) == pytest.approx(expected)
