"""`make bench` runs `python -m bench.run` without arguments: every suite, full size."""

from __future__ import annotations

import pytest

from bench.run import SUITES, parse_args


def test_no_arguments_run_every_suite() -> None:
    assert parse_args([]) == (list(SUITES), False)


def test_named_suites_and_quick() -> None:
    assert parse_args(["report", "--quick"]) == (["report"], True)
    with pytest.raises(SystemExit):
        parse_args(["nonsense"])
