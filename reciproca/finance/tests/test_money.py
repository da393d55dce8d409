"""Money done right: the property tests of conversions and totals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciproca.finance.money import (
    CURRENCIES,
    FixedRates,
    MissingRate,
    MixedCurrencies,
    Money,
    convert,
    total,
)

XOF_PARITY = Decimal("655.957")
RATES = FixedRates(
    table={
        "DZD": [(date(2025, 1, 2), Decimal("140.50")), (date(2025, 2, 3), Decimal("141.00"))],
        "AMD": [(date(2025, 1, 2), Decimal("412.00"))],
        "MAD": [(date(2025, 1, 2), Decimal("10.50"))],
        "ILS": [(date(2025, 1, 2), Decimal("3.80"))],
        "JOD": [(date(2025, 1, 2), Decimal("0.7350"))],
        "USD": [(date(2025, 1, 2), Decimal("1.0350"))],
    },
    fixed={"XOF": (date(1999, 1, 1), XOF_PARITY)},
    max_age_days=31,
)
amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("1e10"), places=2, allow_nan=False
)
currencies = st.sampled_from(CURRENCIES)
days = st.dates(min_value=date(2025, 1, 2), max_value=date(2025, 2, 2))


@given(amount=amounts, source=currencies, target=currencies, on=days)
def test_a_conversion_round_trips_within_a_cent(
    amount: Decimal, source: str, target: str, on: date
) -> None:
    there = convert(Money(amount, source), target, on=on, rates=RATES).money
    back = convert(there, source, on=on, rates=RATES).money
    assert back.currency == source
    assert abs(back.amount - amount) <= Decimal("0.01")


@given(values=st.lists(st.tuples(amounts, currencies), min_size=1, max_size=8))
def test_a_total_never_mixes_currencies(values: list[tuple[Decimal, str]]) -> None:
    moneys = [Money(a, c) for a, c in values]
    first = moneys[0].currency
    if all(m.currency == first for m in moneys):
        assert total(moneys, first).amount == sum(a for a, _c in values)
    else:
        with pytest.raises(MixedCurrencies):
            total(moneys, first)
        with pytest.raises(MixedCurrencies):
            sum(moneys, Money.zero(first))


@given(
    amount=amounts,
    currency=st.sampled_from([c for c in CURRENCIES if c not in ("EUR", "XOF")]),
    gap=st.integers(min_value=1, max_value=3650),
)
def test_a_missing_rate_is_an_explicit_error_not_a_zero(
    amount: Decimal, currency: str, gap: int
) -> None:
    too_early = date(2025, 1, 2) - timedelta(days=gap)
    with pytest.raises(MissingRate) as raised:
        convert(Money(amount, currency), "EUR", on=too_early, rates=RATES)
    assert raised.value.currency == currency and raised.value.on == too_early
    assert currency in str(raised.value) and too_early.isoformat() in str(raised.value)


def test_a_rate_older_than_its_maximum_age_is_missing() -> None:
    with pytest.raises(MissingRate):
        convert(Money(Decimal(100), "AMD"), "EUR", on=date(2025, 3, 15), rates=RATES)
    # The DZD rate of 3 February is fresh enough on 28 February.
    assert convert(Money(Decimal(141), "DZD"), "EUR", on=date(2025, 2, 28), rates=RATES).money == (
        Money(Decimal("1.000000"), "EUR")
    )


def test_xof_is_at_its_fixed_parity_whatever_the_date() -> None:
    converted = convert(Money(XOF_PARITY * 1000, "XOF"), "EUR", on=date(2031, 5, 1), rates=RATES)
    assert converted.money.rounded() == Money(Decimal("1000.00"), "EUR")


def test_a_conversion_says_which_rate_it_used() -> None:
    converted = convert(Money(Decimal(1000), "DZD"), "EUR", on=date(2025, 2, 10), rates=RATES)
    assert converted.rate_dates == (date(2025, 2, 3),)
    assert converted.on == date(2025, 2, 10)
