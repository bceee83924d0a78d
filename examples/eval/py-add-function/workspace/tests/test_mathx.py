"""Tests of app.mathx."""

from app.mathx import clamp


def test_clamp_limits_a_value_above_the_range() -> None:
    assert clamp(15, 0, 10) == 10
