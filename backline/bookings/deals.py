"""The deal terms of an offer, in plain Python: what they are, whether they hold together, what the act
earns under them, and how people write them down ("$500 vs 70% of net + $250 at 300 tickets").

No database and no Django here: an ``Offer`` row (or a form, or an API payload) is turned into a
``Deal``, and everything that needs the terms (validation, settlement, the contract, the offer history)
asks this module. Money is ``Decimal`` with a currency (house rule 8); a float is refused outright.

The words (guarantee, door deal, versus deal, bonuses, deposit, radius clause) are those of the shared
domain glossary (``shared/DOMAIN.md``, beside the repository): a door deal is a percentage of net
receipts, where net = gross − taxes and fees − agreed expenses, never below zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from backline.core.errors import Invalid
from backline.core.timeutil import day_words

from .currencies import CURRENCIES, decimals

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# The money columns are DecimalField(max_digits=12, decimal_places=2): ten digits before the point.
MAX_AMOUNT = Decimal("9999999999.99")


class DealType(StrEnum):
    GUARANTEE = "guarantee"  # a flat fee
    DOOR = "door"  # a percentage of net door receipts
    VERSUS = "versus"  # the guarantee versus a percentage of net or gross, whichever is greater
    FLAT = "flat"  # an agency's quote: a package price or a custom amount; pays like a guarantee

    @property
    def label(self) -> str:
        return _DEAL_TYPE_LABELS[self]


_DEAL_TYPE_LABELS = {DealType.GUARANTEE: "Guarantee", DealType.DOOR: "Door deal", DealType.VERSUS: "Versus deal",
                     DealType.FLAT: "Flat fee"}
# Deal types with a guaranteed fee (the ``guarantee`` field), and those with a percentage.
WITH_GUARANTEE = frozenset({DealType.GUARANTEE, DealType.VERSUS, DealType.FLAT})
WITH_PERCENT = frozenset({DealType.DOOR, DealType.VERSUS})
# The terms each deal type uses: what an offer form asks for. A ticketed show (guarantee, door, versus)
# has ticket prices, a capacity, bonuses at ticket counts and a radius clause; an agency's flat price
# (a wedding, a corporate party) has none of those. A deposit is taken from a guaranteed fee.
_TICKETED = ("ticket_price", "capacity", "bonuses", "radius_km", "radius_days")
TERMS: dict[DealType, tuple[str, ...]] = {
    DealType.GUARANTEE: ("guarantee", "deposit_percent", "deposit_due", *_TICKETED),
    DealType.VERSUS: ("guarantee", "percent", "basis", "expenses", "deposit_percent", "deposit_due", *_TICKETED),
    DealType.DOOR: ("percent", "expenses", *_TICKETED),
    DealType.FLAT: ("guarantee", "deposit_percent", "deposit_due"),
}


class Basis(StrEnum):
    NET = "net"  # gross − taxes and fees − agreed expenses
    GROSS = "gross"  # gross ticket receipts


SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def _decimal(name: str, value: Any, *, optional: bool = True) -> Decimal | None:
    """Accept a Decimal or an int (made a Decimal); refuse floats and anything else as a programming error."""
    if value is None and optional:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"{name} must be a Decimal, not {type(value).__name__} (money is Decimal: ARCHITECTURE.md rule 8)")


@dataclass(frozen=True)
class Bonus:
    """Paid when at least ``tickets`` tickets are sold. Tiers are cumulative: every tier reached pays."""

    tickets: int
    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _decimal("amount", self.amount, optional=False))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Bonus:
        """From the stored form ``{"tickets": 300, "amount": "250.00"}``."""
        return cls(tickets=int(data["tickets"]), amount=Decimal(str(data["amount"])))

    def to_json(self) -> dict[str, Any]:
        return {"tickets": self.tickets, "amount": str(self.amount)}


@dataclass(frozen=True)
class Deal:
    """The money terms of one offer version. Build it freely; ``validate`` says what is wrong with it."""

    currency: str  # ISO 4217
    deal_type: DealType
    guarantee: Decimal | None = None  # the fee, for guarantee, versus and flat deals
    percent: Decimal | None = None  # 0–100, for door and versus deals
    basis: str = Basis.NET  # "net" or "gross", for versus deals; a door deal is always on net
    expenses: Decimal = ZERO  # agreed show expenses, taken off gross (with taxes and fees) to give net
    bonuses: tuple[Bonus, ...] = ()
    deposit_percent: Decimal | None = None  # 0–100 of the guarantee
    deposit_due: date | None = None
    ticket_price: Decimal | None = None
    capacity: int | None = None
    radius_km: int | None = None
    radius_days: int | None = None

    def __post_init__(self) -> None:
        for name in ("guarantee", "percent", "deposit_percent", "ticket_price"):
            object.__setattr__(self, name, _decimal(name, getattr(self, name)))
        object.__setattr__(self, "expenses", _decimal("expenses", ZERO if self.expenses is None else self.expenses))
        if not isinstance(self.deal_type, DealType) and self.deal_type in DealType._value2member_map_:
            object.__setattr__(self, "deal_type", DealType(self.deal_type))
        if not isinstance(self.bonuses, tuple):
            object.__setattr__(self, "bonuses", tuple(self.bonuses))


# --- validation -------------------------------------------------------------------------------------

def _places(currency: str) -> int:
    return decimals(currency) if currency in CURRENCIES else 2


def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-_places(currency))


def _amount_problem(value: Decimal, currency: str) -> str | None:
    if not value.is_finite():
        return "Must be a finite amount."
    if value < 0:
        return "Must not be negative."
    if value > MAX_AMOUNT:
        return "Must be less than 10,000,000,000."
    if value != value.quantize(_quantum(currency)):
        return f"{currency} amounts are whole numbers." if _places(currency) == 0 else "At most 2 decimal places."
    return None


def _percent_problem(value: Decimal) -> str | None:
    if not value.is_finite():
        return "Must be a finite number."
    if not ZERO <= value <= HUNDRED:
        return "Must be between 0 and 100."
    if value != value.quantize(Decimal("0.01")):
        return "At most 2 decimal places."
    return None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate(deal: Deal) -> dict[str, list[str]]:
    """Field name → human messages. An empty dict means the terms hold together."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    currency = deal.currency
    if not isinstance(currency, str) or currency not in CURRENCIES:
        add("currency", f"“{currency}” is not an ISO 4217 currency code: use three capital letters such as EUR, USD or GBP.")
        currency = str(currency)

    for name in ("guarantee", "expenses", "ticket_price"):
        value = getattr(deal, name)
        if value is not None and (problem := _amount_problem(value, currency)):
            add(name, problem)
    if deal.percent is not None and (problem := _percent_problem(deal.percent)):
        add("percent", problem)
    if deal.deposit_percent is not None:
        if deal.deposit_percent.is_finite() and deal.deposit_percent > HUNDRED:
            add("deposit_percent", "A deposit can't be more than the fee (100%).")
        elif problem := _percent_problem(deal.deposit_percent):
            add("deposit_percent", problem)
    if deal.basis not in (Basis.NET, Basis.GROSS):
        add("basis", "Choose net or gross.")

    deal_type = deal.deal_type
    if not isinstance(deal_type, DealType):
        add("deal_type", "Choose a deal type: guarantee, door, versus or flat.")
    else:
        if deal_type in WITH_GUARANTEE and deal.guarantee is None:
            add("guarantee", {DealType.GUARANTEE: "Enter the guarantee the act will be paid, for example 500.",
                              DealType.VERSUS: "Enter the guaranteed minimum the act is paid whatever the door takes, "
                                               "for example 500.",
                              DealType.FLAT: "Enter the price, for example 1200, or choose a package."}[deal_type])
        if deal_type == DealType.DOOR and deal.guarantee is not None:
            add("guarantee", "A door deal has no guarantee: make it a versus deal to guarantee a minimum.")
        if deal_type in WITH_PERCENT and deal.percent is None:
            add("percent", "Enter the act's share of the receipts in percent, for example 70.")
        if deal_type not in WITH_PERCENT and deal.percent is not None:
            add("percent", f"A {deal_type.label.lower()} has no percentage: make it a versus deal to add one.")
        if deal_type == DealType.DOOR and deal.basis == Basis.GROSS:
            add("basis", "A door deal is always on net: gross − taxes and fees − expenses.")
        if (deal_type not in WITH_GUARANTEE and deal.deposit_percent is not None and deal.deposit_percent.is_finite()
                and deal.deposit_percent > 0):
            add("deposit_percent", "A door deal has no guaranteed fee to take a deposit from.")
    if deal.deposit_due is not None and (deal.deposit_percent is None or deal.deposit_percent == 0):
        add("deposit_due", "Enter the deposit percentage, or leave the due date empty.")

    for name, what in (("capacity", "capacity"), ("radius_km", "distance"), ("radius_days", "number of days")):
        value = getattr(deal, name)
        if value is not None and (not _is_count(value) or value <= 0):
            add(name, f"The {what} must be a positive whole number.")
    if (deal.radius_km is None) != (deal.radius_days is None):
        missing, what = ("radius_days", "days") if deal.radius_days is None else ("radius_km", "a distance")
        add(missing, f"A radius clause needs {what} as well.")

    seen: set[int] = set()
    capacity = deal.capacity if _is_count(deal.capacity) and deal.capacity > 0 else None
    for number, bonus in enumerate(deal.bonuses, start=1):
        if not isinstance(bonus, Bonus):
            add("bonuses", f"Bonus {number} is not a bonus.")
            continue
        if not _is_count(bonus.tickets) or bonus.tickets <= 0:
            add("bonuses", f"Bonus {number}: the ticket count must be a positive whole number.")
            continue
        where = f"Bonus at {bonus.tickets} tickets"
        if problem := _amount_problem(bonus.amount, currency):
            add("bonuses", f"{where}: {problem[0].lower()}{problem[1:]}")
        if bonus.tickets in seen:
            add("bonuses", f"Two bonuses at {bonus.tickets} tickets: give each threshold once.")
        seen.add(bonus.tickets)
        if capacity is not None and bonus.tickets > capacity:
            add("bonuses", f"{where} is more than the capacity ({capacity}).")
    return errors


def _require_valid(deal: Deal) -> None:
    if errors := validate(deal):
        raise Invalid("The deal terms are not valid.", errors=errors)


# --- money ------------------------------------------------------------------------------------------

def _quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def _receipts(name: str, value: Any) -> Decimal:
    amount = _decimal(name, value, optional=False)
    if not amount.is_finite() or amount < 0:
        raise Invalid(f"{name} must be a finite amount, not negative.", errors={name: ["Must be a finite amount, not negative."]})
    return amount


def net_receipts(deal: Deal, *, gross: Decimal, taxes_and_fees: Decimal = ZERO) -> Decimal:
    """gross − taxes and fees − the deal's agreed expenses, never below zero, in the currency's minor unit."""
    _require_valid(deal)
    gross, taxes = _receipts("gross", gross), _receipts("taxes_and_fees", taxes_and_fees)
    return _quantize(max(ZERO, gross - taxes - deal.expenses), deal.currency)


def bonuses_earned(deal: Deal, tickets_sold: int) -> Decimal:
    """The sum of every bonus whose ticket threshold was reached (tiers are cumulative)."""
    if not _is_count(tickets_sold) or tickets_sold < 0:
        raise Invalid("tickets_sold must be a whole number, not negative.", errors={"tickets_sold": ["Must be 0 or more."]})
    return sum((b.amount for b in deal.bonuses if tickets_sold >= b.tickets), ZERO)


def payout(deal: Deal, *, gross: Decimal, tickets_sold: int, taxes_and_fees: Decimal = ZERO) -> Decimal:
    """What the act earns under the deal, bonuses included, rounded half-up to the currency's minor unit.

    guarantee, flat → the guarantee; door → percent × net; versus → the greater of the guarantee and
    percent × net (or × gross, by ``basis``). Raises ``Invalid`` for invalid terms or receipts."""
    _require_valid(deal)
    gross, taxes = _receipts("gross", gross), _receipts("taxes_and_fees", taxes_and_fees)
    bonus = bonuses_earned(deal, tickets_sold)
    net = max(ZERO, gross - taxes - deal.expenses)
    if deal.deal_type == DealType.DOOR:
        earned = deal.percent * net / HUNDRED
    elif deal.deal_type == DealType.VERSUS:
        base = gross if deal.basis == Basis.GROSS else net
        earned = max(deal.guarantee, deal.percent * base / HUNDRED)
    else:
        earned = deal.guarantee
    return _quantize(earned + bonus, deal.currency)


def deposit_amount(deal: Deal) -> Decimal | None:
    """deposit_percent × the guarantee, rounded half-up; None when there is no deposit or no guaranteed fee."""
    _require_valid(deal)
    if deal.deposit_percent is None or deal.guarantee is None or deal.deal_type not in WITH_GUARANTEE:
        return None
    return _quantize(deal.guarantee * deal.deposit_percent / HUNDRED, deal.currency)


# --- words ------------------------------------------------------------------------------------------

def format_money(amount: Decimal | None, currency: str) -> str:
    """€500, $1,250.50, £20, CHF 500, JPY 50,000; whole amounts without decimals; None → "TBC"."""
    if amount is None:
        return "TBC"
    if not amount.is_finite():
        number = str(amount)
    elif amount == amount.to_integral_value():
        number = f"{abs(amount):,.0f}"
    else:
        number = f"{abs(amount):,.{max(_places(currency), 2)}f}"
    sign = "-" if amount.is_finite() and amount < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"


def format_percent(value: Decimal | None) -> str:
    """70%, 62.5%; None → "TBC%"."""
    if value is None:
        return "TBC%"
    return f"{value.normalize():f}%" if value.is_finite() else f"{value}%"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _terms(deal: Deal, *, quote: bool = False) -> str:
    money = format_money(deal.guarantee, deal.currency)
    after = f" after {format_money(deal.expenses, deal.currency)} expenses" if deal.expenses else ""
    match deal.deal_type:
        case DealType.GUARANTEE:
            return f"{money} fee" if quote else f"{money} guarantee"
        case DealType.FLAT:
            return f"{money} flat fee"
        case DealType.DOOR:
            return f"{format_percent(deal.percent)} of door{after}"
        case DealType.VERSUS:
            return f"{money} vs {format_percent(deal.percent)} of {deal.basis}{after if deal.basis == Basis.NET else ''}"
    return str(deal.deal_type)


def headline(deal: Deal, *, quote: bool = False) -> str:
    """The deal's main terms, as a list's fee column shows them: "€500 guarantee", "70% of door",
    "$500 vs 70% of net" (no bonuses, deposit or radius). ``quote``: an agency's quote to its client,
    where a guaranteed amount is the client's fee ("€500 fee")."""
    return _terms(deal, quote=quote)


def _bonus_text(bonus: Bonus, currency: str) -> str:
    return f"+ {format_money(bonus.amount, currency)} at {_plural(bonus.tickets, 'ticket')}"


def _sorted_bonuses(deal: Deal) -> list[Bonus]:
    return sorted(deal.bonuses, key=lambda b: (b.tickets, b.amount))


def _radius_text(deal: Deal) -> str:
    parts = ([f"{deal.radius_km:,} km"] if deal.radius_km is not None else []) + (
        [_plural(deal.radius_days, "day")] if deal.radius_days is not None else [])
    return f"radius {' / '.join(parts)}" if parts else ""


def summary(deal: Deal, *, quote: bool = False) -> str:
    """The deal as people write it, e.g.
    "$500 vs 70% of net + $250 at 300 tickets, 50% deposit due 2027-03-01, radius 50 km / 30 days".
    It does not validate: an incomplete draft shows TBC where a number is missing. ``quote``: an agency's
    quote to its client ("£3,400 flat fee", "£500 fee": never a guarantee)."""
    head = " ".join([_terms(deal, quote=quote), *(_bonus_text(b, deal.currency) for b in _sorted_bonuses(deal))])
    deposit = ""
    if deal.deposit_percent:
        deposit = f"{format_percent(deal.deposit_percent)} deposit"
        if deal.deposit_due is not None:
            deposit += f" due {day_words(deal.deposit_due)}"
    return ", ".join(part for part in (head, deposit, _radius_text(deal)) if part)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def explain(deal: Deal, *, quote: bool = False) -> list[str]:
    """The deal in sentences, for the people agreeing to it (an offer form's live summary). Like
    ``summary`` it does not validate: a missing number reads TBC. ``quote``: an agency's quote, which
    its client pays whatever the deal type."""
    money = format_money(deal.guarantee, deal.currency)
    share = format_percent(deal.percent)
    costs = f"taxes, fees and {format_money(deal.expenses, deal.currency)} agreed expenses" if deal.expenses else \
        "taxes and fees"
    match deal.deal_type:
        case DealType.GUARANTEE | DealType.FLAT if quote:
            lines = [f"The client pays {money} for the show."]
        case DealType.GUARANTEE:
            lines = [f"The act is paid {money}, however many tickets sell."]
        case DealType.FLAT:
            lines = [f"The client pays {money} for the show."]
        case DealType.DOOR:
            lines = [f"The act is paid {share} of the door: ticket sales minus {costs}."]
        case DealType.VERSUS:
            base = "gross ticket sales" if deal.basis == Basis.GROSS else f"ticket sales minus {costs}"
            lines = [f"The act is paid {money} or {share} of {base}, whichever is more."]
        case _:
            lines = [summary(deal)]
    for bonus in _sorted_bonuses(deal):
        lines.append(f"Plus {format_money(bonus.amount, deal.currency)} once {_plural(bonus.tickets, 'ticket')} "
                     "are sold.")
    if deal.deposit_percent:
        amount = ""
        if deal.guarantee is not None and deal.guarantee.is_finite() and deal.deposit_percent.is_finite():
            deposit = _quantize(deal.guarantee * deal.deposit_percent / HUNDRED, deal.currency)
            amount = f" ({format_money(deposit, deal.currency)})"
        due = f"by {_day(deal.deposit_due)}" if deal.deposit_due else "when the show is confirmed"
        lines.append(f"A {format_percent(deal.deposit_percent)} deposit{amount} is due {due}.")
    if deal.ticket_price is not None and deal.capacity:
        gross = format_money(deal.ticket_price * deal.capacity, deal.currency)
        lines.append(f"Tickets at {format_money(deal.ticket_price, deal.currency)} for {deal.capacity:,}: "
                     f"a sell-out takes {gross}.")
    if deal.radius_km and deal.radius_days:
        lines.append(f"No other show within {deal.radius_km:,} km for {_plural(deal.radius_days, 'day')} "
                     "before and after.")
    return lines


# --- versions side by side --------------------------------------------------------------------------

def _text(deal: Deal, name: str, *, quote: bool = False) -> str:
    value = getattr(deal, name)
    if name == "bonuses":
        return ", ".join(_bonus_text(b, deal.currency) for b in _sorted_bonuses(deal)) or "none"
    if value is None:
        return "—"
    if name in ("guarantee", "expenses", "ticket_price"):
        return format_money(value, deal.currency)
    if name in ("percent", "deposit_percent"):
        return format_percent(value)
    if name == "deal_type":
        if quote and value == DealType.GUARANTEE:
            return "Fee"
        return value.label if isinstance(value, DealType) else str(value)
    if name == "deposit_due":
        return day_words(value)
    if name == "radius_km":
        return f"{value:,} km"
    if name == "radius_days":
        return _plural(value, "day")
    if name == "capacity":
        return f"{value:,}"
    return str(value)


LABELS = {
    "currency": "Currency", "deal_type": "Deal type", "guarantee": "Guarantee", "percent": "Percentage",
    "basis": "Percentage of", "expenses": "Expenses", "bonuses": "Bonuses", "deposit_percent": "Deposit",
    "deposit_due": "Deposit due", "ticket_price": "Ticket price", "capacity": "Capacity",
    "radius_km": "Radius distance", "radius_days": "Radius period",
}


# An agency's quote names its terms as its client reads them: the amount is the fee, not a guarantee.
QUOTE_LABELS = LABELS | {"guarantee": "Fee"}


def changes(old: Deal, new: Deal, *, quote: bool = False) -> list[tuple[str, str, str]]:
    """(field label, old text, new text) for each term that differs, in the order of the fields.
    Amounts compare by value (500 = 500.00) and bonuses regardless of their order. ``quote``: an
    agency's quote ("Fee", not "Guarantee")."""
    rows = []
    for name, label in (QUOTE_LABELS if quote else LABELS).items():
        same = _sorted_bonuses(old) == _sorted_bonuses(new) if name == "bonuses" else getattr(old, name) == getattr(new, name)
        if not same:
            rows.append((label, _text(old, name, quote=quote), _text(new, name, quote=quote)))
    return rows
