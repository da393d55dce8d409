"""Property tests: a disaggregation that does not add up is refused with the difference; the
cumulative totals are right across any sequence of periods and corrections."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciproca.core.exceptions import DomainError
from reciproca.results import disaggregation
from reciproca.results.progress import progress

DIMS = {"sex": ["F", "M"], "age_group": ["0-14", "15-24", "25-64", "65+"]}
CELLS = disaggregation.cells(DIMS)
parts_strategy = st.dictionaries(
    st.sampled_from(CELLS), st.integers(min_value=0, max_value=10_000), min_size=1
)


@pytest.mark.charter("OBJ-2")
@given(parts=parts_strategy, delta=st.integers(min_value=-500, max_value=500))
def test_parts_must_add_up_to_the_total_or_the_difference_is_shown(parts, delta):
    added = sum(parts.values())
    total = Decimal(added + delta)
    raw = {k: str(v) for k, v in parts.items()}
    if delta == 0:
        assert disaggregation.check_breakdown(DIMS, total, raw) == raw
    else:
        with pytest.raises(DomainError) as refused:
            disaggregation.check_breakdown(DIMS, total, raw)
        assert f"différence : {-delta}" in refused.value.reasons[0]


def test_the_cross_tab_has_every_cell():
    assert len(CELLS) == 8 and "F|15-24" in CELLS


# A sequence of operations: report period i with value v, or correct period i to value v.
operations = st.lists(
    st.tuples(st.integers(min_value=0, max_value=11), st.integers(min_value=0, max_value=1000)),
    max_size=40,
)


@pytest.mark.charter("PRJ-1")
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_per_period_cumulative_totals_follow_any_sequence_of_reports_and_corrections(ops):
    current: dict[int, Decimal] = {}
    for period, value in ops:  # a later operation on a period is its correction
        current[period] = Decimal(value)
    points = progress("PER_PERIOD", range(12), current)
    for i, point in enumerate(points):
        expected = sum((v for p, v in current.items() if p <= i), Decimal(0))
        assert point.cumulative == (expected if any(p <= i for p in current) else None)
        assert point.period_value == current.get(i)


@pytest.mark.charter("PRJ-1")
@given(ops=operations)
def test_cumulative_indicators_keep_the_last_reported_total(ops):
    current: dict[int, Decimal] = {}
    for period, value in ops:
        current[period] = Decimal(value)
    points = progress("CUMULATIVE", range(12), current)
    last = None
    for i, point in enumerate(points):
        if i in current:
            assert point.period_value == current[i] - (last or 0)
            last = current[i]
        assert point.cumulative == last
