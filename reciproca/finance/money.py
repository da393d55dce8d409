"""Money done right: an amount is a Decimal with its ISO 4217 currency, never a bare number.

- Two amounts add only in the same currency; anything else raises `MixedCurrencies`.
- A conversion is explicit: `convert(money, to, on=date, rates=...)` at the rates of a stated
  date; a missing rate raises `MissingRate` naming the currency and the date (never a zero).
- Rates are "units of the currency for one euro" (the ECB's convention); XOF is at its fixed
  parity (655.957 per euro). Conversions keep their precision; totals are rounded to the cent
  only when shown (`Money.rounded()`), so a round trip stays within a cent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Protocol

from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError

# The currencies Reciproca handles, with the French names used on pages and in messages.
CURRENCIES = ("EUR", "DZD", "AMD", "MAD", "XOF", "ILS", "JOD", "USD")
BASE = "EUR"
CENT = Decimal("0.01")
# Internal precision of a conversion (digits after the point).
PRECISION = Decimal("0.000001")


class MixedCurrencies(DomainError):
    """Two currencies were about to be summed as one."""

    def __init__(self, first: str, second: str) -> None:
        self.currencies = (first, second)
        super().__init__(
            _(
                "Impossible d'additionner des %(first)s et des %(second)s sans conversion "
                "explicite à une date."
            )
            % {"first": first, "second": second}
        )


class MissingRate(DomainError):
    """No exchange rate for a currency at a date: the total cannot be given."""

    def __init__(self, currency: str, on: date) -> None:
        self.currency, self.on = currency, on
        super().__init__(
            _("Aucun taux de change %(currency)s/EUR n'est connu au %(date)s.")
            % {"currency": currency, "date": on.isoformat()}
        )


class UnknownCurrency(DomainError):
    def __init__(self, currency: str) -> None:
        self.currency = currency
        super().__init__(
            _("Devise inconnue : %(currency)s (devises gérées : %(known)s).")
            % {"currency": currency, "known": ", ".join(CURRENCIES)}
        )


def check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in CURRENCIES:
        raise UnknownCurrency(code)
    return code


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", Decimal(str(self.amount)))
        check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError("Money adds only to Money")
        if other.currency != self.currency:
            raise MixedCurrencies(self.currency, other.currency)
        return other

    def __add__(self, other: object) -> Money:
        o = self._same(other)
        return Money(self.amount + o.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        if other == 0:  # sum() starts from 0
            return self
        return self.__add__(other)

    def __sub__(self, other: object) -> Money:
        o = self._same(other)
        return Money(self.amount - o.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def rounded(self) -> Money:
        return Money(self.amount.quantize(CENT, rounding=ROUND_HALF_EVEN), self.currency)

    def __str__(self) -> str:
        return f"{self.rounded().amount:,.2f} {self.currency}".replace(",", "\u202f")


def total(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of amounts all in `currency`; a stray currency raises `MixedCurrencies`."""
    result = Money.zero(currency)
    for money in amounts:
        result = result + money
    return result


class RateSource(Protocol):
    def rate(self, currency: str, on: date) -> tuple[Decimal, date]:
        """Units of `currency` for one euro valid at `on`, with the rate's own date; raises
        `MissingRate`."""


@dataclass(frozen=True)
class Converted:
    """An amount converted at a stated date, with the rates it used (for the page)."""

    money: Money
    original: Money
    on: date
    rate_dates: tuple[date, ...]


def convert(money: Money, to: str, *, on: date, rates: RateSource) -> Converted:
    """`money` in `to` at the rates valid on `on` (through the euro)."""
    to = check_currency(to)
    if money.currency == to:
        return Converted(money=money, original=money, on=on, rate_dates=())
    with localcontext() as ctx:
        ctx.prec = 34
        amount = money.amount
        dates: list[date] = []
        if money.currency != BASE:
            rate, rate_date = rates.rate(money.currency, on)
            amount = amount / rate
            dates.append(rate_date)
        if to != BASE:
            rate, rate_date = rates.rate(to, on)
            amount = amount * rate
            dates.append(rate_date)
        amount = amount.quantize(PRECISION, rounding=ROUND_HALF_EVEN)
    return Converted(money=Money(amount, to), original=money, on=on, rate_dates=tuple(dates))


@dataclass
class FixedRates:
    """Rates held in memory: `{(currency, date): units per euro}`, plus fixed parities.

    A rate applies from its date until the next one, for at most `max_age_days` days; a fixed
    parity has no age. Used by tests and by `DatabaseRates` once it has read the table."""

    table: dict[str, list[tuple[date, Decimal]]]
    fixed: dict[str, tuple[date, Decimal]]
    max_age_days: int = 31

    def rate(self, currency: str, on: date) -> tuple[Decimal, date]:
        currency = check_currency(currency)
        if currency == BASE:
            return Decimal(1), on
        if currency in self.fixed:
            since, value = self.fixed[currency]
            if on >= since:
                return value, since
        best: tuple[date, Decimal] | None = None
        for day, value in self.table.get(currency, ()):
            if day <= on and (best is None or day > best[0]):
                best = (day, value)
        if best is None or (on - best[0]).days > self.max_age_days:
            raise MissingRate(currency, on)
        return best[1], best[0]
