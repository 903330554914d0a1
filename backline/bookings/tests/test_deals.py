"""Deal terms without a database: worked examples of each deal type, every validation refusal, the way
deals are written, offer versions side by side, and one property of versus deals."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backline.bookings.currencies import CURRENCIES, ZERO_DECIMAL, decimals
from backline.bookings.deals import (
    Bonus,
    Deal,
    DealType,
    bonuses_earned,
    changes,
    deposit_amount,
    format_money,
    net_receipts,
    payout,
    summary,
    validate,
)
from backline.core.errors import Invalid


def guarantee(amount="500", currency="USD", **kw) -> Deal:
    return Deal(currency=currency, deal_type=DealType.GUARANTEE, guarantee=D(amount), **kw)


def door(percent="70", expenses="0", currency="EUR", **kw) -> Deal:
    return Deal(currency=currency, deal_type=DealType.DOOR, percent=D(percent), expenses=D(expenses), **kw)


def versus(amount="500", percent="70", basis="net", expenses="0", currency="USD", **kw) -> Deal:
    return Deal(currency=currency, deal_type=DealType.VERSUS, guarantee=D(amount), percent=D(percent), basis=basis,
                expenses=D(expenses), **kw)


# --- payout: worked examples ------------------------------------------------------------------------

def test_guarantee_pays_the_guarantee_whatever_the_door():
    deal = guarantee("500")
    assert payout(deal, gross=D("0"), tickets_sold=0) == D("500.00")
    assert payout(deal, gross=D("99999"), tickets_sold=900, taxes_and_fees=D("5000")) == D("500.00")


def test_flat_fee_behaves_like_a_guarantee():
    deal = Deal(currency="GBP", deal_type=DealType.FLAT, guarantee=D("1200"))
    assert validate(deal) == {}
    assert payout(deal, gross=D("0"), tickets_sold=0) == D("1200.00")


def test_door_deal_is_a_percentage_of_net():
    deal = door("70", expenses="200")
    # net = 2000 − 100 − 200 = 1700; 70% = 1190
    assert net_receipts(deal, gross=D("2000"), taxes_and_fees=D("100")) == D("1700.00")
    assert payout(deal, gross=D("2000"), tickets_sold=150, taxes_and_fees=D("100")) == D("1190.00")


def test_door_deal_with_expenses_above_gross_pays_nothing():
    deal = door("80", expenses="500")
    assert payout(deal, gross=D("300"), tickets_sold=30) == D("0.00")
    assert payout(deal, gross=D("600"), tickets_sold=60, taxes_and_fees=D("200")) == D("0.00")


def test_versus_net_pays_the_percentage_when_it_is_greater():
    deal = versus("500", "70", expenses="300")
    # net = 2000 − 200 − 300 = 1500; 70% × 1500 = 1050 > 500
    assert payout(deal, gross=D("2000"), tickets_sold=200, taxes_and_fees=D("200")) == D("1050.00")


def test_versus_net_pays_the_guarantee_when_it_is_greater():
    deal = versus("500", "70", expenses="300")
    # net = 800 − 200 − 300 = 300; 70% × 300 = 210 < 500
    assert payout(deal, gross=D("800"), tickets_sold=80, taxes_and_fees=D("200")) == D("500.00")


def test_versus_gross_ignores_taxes_and_expenses():
    deal = versus("500", "20", basis="gross", expenses="300")
    assert payout(deal, gross=D("4000"), tickets_sold=300, taxes_and_fees=D("400")) == D("800.00")
    assert payout(deal, gross=D("2000"), tickets_sold=150, taxes_and_fees=D("400")) == D("500.00")


def test_bonuses_are_cumulative():
    deal = guarantee("500", bonuses=(Bonus(300, D("250")), Bonus(400, D("500")), Bonus(500, D("1000"))))
    assert bonuses_earned(deal, 299) == 0
    assert payout(deal, gross=D("0"), tickets_sold=299) == D("500.00")
    assert payout(deal, gross=D("0"), tickets_sold=300) == D("750.00")
    assert payout(deal, gross=D("0"), tickets_sold=450) == D("1250.00")
    assert payout(deal, gross=D("0"), tickets_sold=500) == D("2250.00")


def test_bonuses_add_to_a_door_deal():
    deal = door("50", bonuses=(Bonus(100, D("50")),))
    assert payout(deal, gross=D("1000"), tickets_sold=100) == D("550.00")


def test_jpy_rounds_half_up_to_whole_yen():
    deal = door("33.33", currency="JPY")
    # 33.33% × 1,500 = 499.95 → 500; 33.33% × 1,000 = 333.3 → 333
    assert payout(deal, gross=D("1500"), tickets_sold=10) == D("500")
    assert payout(deal, gross=D("1000"), tickets_sold=10) == D("333")
    assert payout(deal, gross=D("1000"), tickets_sold=10).as_tuple().exponent == 0


def test_cents_round_half_up():
    deal = door("12.5")
    assert payout(deal, gross=D("100.20"), tickets_sold=10) == D("12.53")  # 12.525 → 12.53, not banker's 12.52
    assert payout(deal, gross=D("100.04"), tickets_sold=10) == D("12.51")  # 12.505 → 12.51


def test_payout_refuses_an_invalid_deal_and_bad_receipts():
    with pytest.raises(Invalid) as caught:
        payout(Deal(currency="USD", deal_type=DealType.VERSUS, percent=D("70")), gross=D("1000"), tickets_sold=1)
    assert "guarantee" in caught.value.errors
    with pytest.raises(Invalid):
        payout(guarantee(), gross=D("-1"), tickets_sold=1)
    with pytest.raises(Invalid):
        payout(guarantee(), gross=D("NaN"), tickets_sold=1)
    with pytest.raises(Invalid):
        payout(guarantee(), gross=D("10"), tickets_sold=-1)
    with pytest.raises(TypeError):
        payout(guarantee(), gross=100.0, tickets_sold=1)


def test_floats_are_refused_and_ints_become_decimals():
    with pytest.raises(TypeError):
        Deal(currency="EUR", deal_type=DealType.GUARANTEE, guarantee=500.0)
    with pytest.raises(TypeError):
        Bonus(300, 250.0)
    deal = Deal(currency="EUR", deal_type="versus", guarantee=500, percent=70, bonuses=[Bonus(300, 250)])
    assert deal.deal_type is DealType.VERSUS and deal.guarantee == D(500) and isinstance(deal.guarantee, D)
    assert deal.bonuses == (Bonus(300, D(250)),)
    hash(deal)


def test_bonus_json_round_trip():
    bonus = Bonus.from_json({"tickets": 300, "amount": "250.00"})
    assert bonus == Bonus(300, D("250.00")) and bonus.to_json() == {"tickets": 300, "amount": "250.00"}


# --- deposit ----------------------------------------------------------------------------------------

def test_deposit_amount():
    assert deposit_amount(guarantee("500", deposit_percent=D("50"))) == D("250.00")
    assert deposit_amount(guarantee("333.33", deposit_percent=D("50"))) == D("166.67")  # 166.665 half up
    assert deposit_amount(guarantee("999", currency="JPY", deposit_percent=D("50"))) == D("500")
    assert deposit_amount(guarantee("500")) is None
    assert deposit_amount(door("70", deposit_percent=D("0"))) is None


# --- validation -------------------------------------------------------------------------------------

VALID = [
    guarantee("500"),
    guarantee("50000", currency="JPY", deposit_percent=D("50"), deposit_due=dt.date(2027, 3, 1)),
    door("70", expenses="200.50"),
    versus("500", "70", bonuses=(Bonus(300, D("250")), Bonus(400, D("0"))), capacity=400, ticket_price=D("0"),
           radius_km=50, radius_days=30, deposit_percent=D("100")),
    versus("500", "62.50", basis="gross", currency="CHF"),
    Deal(currency="GBP", deal_type=DealType.FLAT, guarantee=D("1200.99")),
]


@pytest.mark.parametrize("deal", VALID, ids=summary)
def test_valid_deals(deal):
    assert validate(deal) == {}


def refused(deal: Deal, field: str) -> list[str]:
    errors = validate(deal)
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    return errors[field]


@pytest.mark.parametrize("code", ["EURO", "eur", "XXX", "XAU", "HRK", "", "E", "US$"])
def test_currency_must_be_iso_4217(code):
    refused(guarantee(currency=code), "currency")


def test_currency_table():
    assert len(CURRENCIES) > 150 and {"EUR", "USD", "GBP", "CHF", "JPY", "KRW", "XOF", "ZWG", "SLE"} <= CURRENCIES
    assert ZERO_DECIMAL <= CURRENCIES
    assert decimals("JPY") == decimals("KRW") == decimals("ISK") == decimals("CLP") == decimals("VND") == 0
    assert decimals("EUR") == 2


@pytest.mark.parametrize("field", ["guarantee", "expenses", "ticket_price"])
@pytest.mark.parametrize("value", ["-0.01", "NaN", "Infinity", "-Infinity", "10000000000"])
def test_amounts_must_be_finite_and_not_negative(field, value):
    refused(replace(versus(), **{field: D(value)}), field)


@pytest.mark.parametrize("field", ["guarantee", "expenses", "ticket_price"])
def test_amounts_have_at_most_the_currency_minor_unit(field):
    assert refused(replace(versus(), **{field: D("10.001")}), field) == ["At most 2 decimal places."]
    assert refused(replace(versus(currency="JPY"), **{field: D("10.5")}), field) == ["JPY amounts are whole numbers."]
    assert validate(replace(versus(currency="JPY"), **{field: D("10.00")})) == {}  # the value is whole


@pytest.mark.parametrize("value", ["-1", "100.01", "150", "NaN", "Infinity", "12.345"])
def test_percent_between_0_and_100(value):
    refused(versus(percent=value), "percent")


@pytest.mark.parametrize("value", ["-5", "NaN", "12.345"])
def test_deposit_percent_between_0_and_100(value):
    refused(guarantee(deposit_percent=D(value)), "deposit_percent")


def test_deposit_cannot_exceed_the_fee():
    assert refused(guarantee(deposit_percent=D("100.01")), "deposit_percent") == ["A deposit can't be more than the fee (100%)."]
    assert validate(guarantee(deposit_percent=D("100"))) == {}


def test_door_deal_cannot_take_a_deposit():
    assert refused(door(deposit_percent=D("50")), "deposit_percent") == [
        "A door deal has no guaranteed fee to take a deposit from."]
    assert validate(door(deposit_percent=D("0"))) == {}


def test_deposit_due_needs_a_deposit():
    refused(guarantee(deposit_due=dt.date(2027, 3, 1)), "deposit_due")
    refused(guarantee(deposit_percent=D("0"), deposit_due=dt.date(2027, 3, 1)), "deposit_due")


@pytest.mark.parametrize("deal_type", [DealType.GUARANTEE, DealType.VERSUS, DealType.FLAT])
def test_guarantee_required(deal_type):
    refused(Deal(currency="EUR", deal_type=deal_type, percent=D("70") if deal_type == DealType.VERSUS else None), "guarantee")


@pytest.mark.parametrize("deal_type", [DealType.DOOR, DealType.VERSUS])
def test_percent_required(deal_type):
    refused(Deal(currency="EUR", deal_type=deal_type, guarantee=D("500") if deal_type == DealType.VERSUS else None), "percent")


def test_contradictory_terms_are_refused():
    refused(door(guarantee=D("500")), "guarantee")
    refused(guarantee(percent=D("70")), "percent")
    refused(Deal(currency="EUR", deal_type=DealType.FLAT, guarantee=D("500"), percent=D("10")), "percent")
    refused(door(basis="gross"), "basis")


@pytest.mark.parametrize("basis", ["", "Net", "adjusted gross", None])
def test_basis_is_net_or_gross(basis):
    refused(versus(basis=basis), "basis")


def test_unknown_deal_type():
    refused(Deal(currency="EUR", deal_type="percentage", guarantee=D("500")), "deal_type")


@pytest.mark.parametrize("tickets", [0, -10, True, "300"])
def test_bonus_tickets_must_be_positive(tickets):
    assert refused(guarantee(bonuses=(Bonus(tickets, D("100")),)), "bonuses") == [
        "Bonus 1: the ticket count must be a positive whole number."]


@pytest.mark.parametrize("amount", ["-1", "NaN", "10.001"])
def test_bonus_amounts(amount):
    refused(guarantee(bonuses=(Bonus(300, D(amount)),)), "bonuses")


def test_bonus_thresholds_are_unique():
    assert refused(guarantee(bonuses=(Bonus(300, D("100")), Bonus(300, D("200")))), "bonuses") == [
        "Two bonuses at 300 tickets: give each threshold once."]


def test_bonus_above_capacity():
    assert refused(guarantee(capacity=250, bonuses=(Bonus(300, D("100")),)), "bonuses") == [
        "Bonus at 300 tickets is more than the capacity (250)."]
    assert validate(guarantee(capacity=300, bonuses=(Bonus(300, D("100")),))) == {}


@pytest.mark.parametrize("field", ["capacity", "radius_km", "radius_days"])
@pytest.mark.parametrize("value", [0, -1, True, 1.5])
def test_counts_must_be_positive(field, value):
    other = {"radius_km": 50, "radius_days": 30}
    refused(guarantee(**{**other, field: value}), field)


def test_radius_needs_distance_and_days():
    refused(guarantee(radius_km=50), "radius_days")
    refused(guarantee(radius_days=30), "radius_km")


def test_ticket_price_may_be_zero_but_not_negative():
    assert validate(guarantee(ticket_price=D("0"))) == {}
    refused(guarantee(ticket_price=D("-5")), "ticket_price")


def test_errors_are_collected_per_field():
    deal = Deal(currency="EURO", deal_type=DealType.VERSUS, guarantee=D("-1"), percent=D("101"), basis="both",
                capacity=0, bonuses=(Bonus(0, D("1")),))
    assert set(validate(deal)) == {"currency", "guarantee", "percent", "basis", "capacity", "bonuses"}


# --- summary ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("deal", "text"), [
    (guarantee("500", currency="EUR"), "€500 guarantee"),
    (guarantee("1500.5", currency="GBP"), "£1,500.50 guarantee"),
    (guarantee("500", currency="CHF"), "CHF 500 guarantee"),
    (guarantee("50000", currency="JPY"), "JPY 50,000 guarantee"),
    (Deal(currency="EUR", deal_type=DealType.FLAT, guarantee=D("1200")), "€1,200 flat fee"),
    (door("70", expenses="200"), "70% of door after €200 expenses"),
    (door("62.50"), "62.5% of door"),
    (versus("500", "70"), "$500 vs 70% of net"),
    (versus("500", "70", expenses="300"), "$500 vs 70% of net after $300 expenses"),
    (versus("500", "85", basis="gross", expenses="300"), "$500 vs 85% of gross"),
    (versus("500", "70", bonuses=(Bonus(400, D("500")), Bonus(300, D("250")))),
     "$500 vs 70% of net + $250 at 300 tickets + $500 at 400 tickets"),
    (guarantee("500", currency="EUR", deposit_percent=D("50"), deposit_due=dt.date(2027, 3, 1)),
     "€500 guarantee, 50% deposit due 1 Mar 2027"),
    (guarantee("500", currency="EUR", deposit_percent=D("50.00")), "€500 guarantee, 50% deposit"),
    (guarantee("500", radius_km=50, radius_days=30), "$500 guarantee, radius 50 km / 30 days"),
    (versus("500", "70", bonuses=(Bonus(300, D("250")),), deposit_percent=D("50"), deposit_due=dt.date(2027, 3, 1),
            radius_km=50, radius_days=1),
     "$500 vs 70% of net + $250 at 300 tickets, 50% deposit due 1 Mar 2027, radius 50 km / 1 day"),
    (Deal(currency="EUR", deal_type=DealType.VERSUS), "TBC vs TBC% of net"),
])
def test_summary(deal, text):
    assert summary(deal) == text


def test_format_money():
    assert format_money(D("1234567.8"), "USD") == "$1,234,567.80"
    assert format_money(D("500.00"), "EUR") == "€500"
    assert format_money(D("-20"), "GBP") == "-£20"
    assert format_money(None, "EUR") == "TBC"


# --- changes ----------------------------------------------------------------------------------------

def test_changes_lists_the_terms_that_differ():
    old = guarantee("500", bonuses=(Bonus(300, D("250")),), capacity=300)
    new = versus("600.00", "70", bonuses=(Bonus(300, D("250")), Bonus(400, D("500"))), capacity=400,
                 deposit_percent=D("50"), deposit_due=dt.date(2027, 3, 1), radius_km=50, radius_days=30)
    assert changes(old, new) == [
        ("Deal type", "Guarantee", "Versus deal"),
        ("Guarantee", "$500", "$600"),
        ("Percentage", "—", "70%"),
        ("Bonuses", "+ $250 at 300 tickets", "+ $250 at 300 tickets, + $500 at 400 tickets"),
        ("Deposit", "—", "50%"),
        ("Deposit due", "—", "1 Mar 2027"),
        ("Capacity", "300", "400"),
        ("Radius distance", "—", "50 km"),
        ("Radius period", "—", "30 days"),
    ]


def test_changes_ignores_what_is_equal_in_value():
    a = versus("500", "70", bonuses=(Bonus(300, D("250")), Bonus(400, D("500"))))
    b = versus("500.00", "70.0", bonuses=(Bonus(400, D("500.00")), Bonus(300, D("250"))))
    assert changes(a, b) == []
    assert changes(a, a) == []


def test_changes_currency_and_basis():
    assert changes(versus(currency="USD"), versus(currency="EUR", basis="gross")) == [
        ("Currency", "USD", "EUR"), ("Percentage of", "net", "gross")]
    assert changes(guarantee(), guarantee(bonuses=(Bonus(300, D("250")),))) == [("Bonuses", "none", "+ $250 at 300 tickets")]


# --- property: versus pays the greater of the two, plus bonuses --------------------------------------

def money(places: int, high: int = 1_000_000):
    return st.decimals(min_value=0, max_value=high, places=places, allow_nan=False, allow_infinity=False)


@st.composite
def versus_cases(draw):
    currency = draw(st.sampled_from(["USD", "EUR", "JPY", "KRW", "CHF"]))
    places = decimals(currency)
    thresholds = draw(st.lists(st.integers(1, 2000), unique=True, max_size=4))
    deal = Deal(currency=currency, deal_type=DealType.VERSUS, guarantee=draw(money(places)),
                percent=draw(st.decimals(min_value=0, max_value=100, places=2)),
                basis=draw(st.sampled_from(["net", "gross"])), expenses=draw(money(places)),
                bonuses=tuple(Bonus(t, draw(money(places, 10_000))) for t in thresholds))
    return deal, draw(money(places, 10_000_000)), draw(money(places)), draw(st.integers(0, 3000))


@given(versus_cases())
def test_versus_pays_the_greater_of_guarantee_and_percentage(case):
    deal, gross, taxes, tickets = case
    assert validate(deal) == {}
    paid = payout(deal, gross=gross, tickets_sold=tickets, taxes_and_fees=taxes)
    base = gross if deal.basis == "gross" else max(D(0), gross - taxes - deal.expenses)
    share = (deal.percent * base / 100).quantize(D(1).scaleb(-decimals(deal.currency)), rounding=ROUND_HALF_UP)
    bonus = sum((b.amount for b in deal.bonuses if tickets >= b.tickets), D(0))
    assert paid - bonus >= deal.guarantee
    assert paid - bonus >= share
    assert paid - bonus in (deal.guarantee, share)
    assert paid == paid.quantize(D(1).scaleb(-decimals(deal.currency)))


def test_no_iso_dates_in_what_people_read_of_a_deal():
    import re

    deal = guarantee("500", currency="EUR", deposit_percent=D("50"), deposit_due=dt.date(2027, 3, 1))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", summary(deal))
    assert ("Deposit due", "—", "1 Mar 2027") in changes(guarantee("500", currency="EUR"), deal)
