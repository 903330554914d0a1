"""ISO 4217 currency codes that money can be agreed in, and how many decimal places each one uses.

No currency package (pycountry, babel, iso4217) is installed, so the list is kept here. It holds the
active circulating currencies of ISO 4217 list A (late 2026). Left out on purpose: fund codes and units of
account (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW, XDR, XSU, XUA), precious metals (XAU, XAG, XPD, XPT),
bond-market units (XBA–XBD), XTS (testing) and XXX (no currency), since nobody pays a band in them; and
withdrawn codes (ANG → XCG, BGN → EUR, CUC, HRK → EUR, SLL → SLE, ZWL → ZWG, and older ones).
When ISO publishes an amendment, update this list by hand.
"""

from __future__ import annotations

CURRENCIES: frozenset[str] = frozenset([
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN",
    "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK",
    "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP",
    "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
    "HKD", "HNL", "HTG", "HUF",
    "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
    "JMD", "JOD", "JPY",
    "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL", "LYD",
    "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN",
    "NAD", "NGN", "NIO", "NOK", "NPR", "NZD",
    "OMR",
    "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
    "QAR",
    "RON", "RSD", "RUB", "RWF",
    "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
    "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "UGX", "USD", "UYU", "UZS",
    "VED", "VES", "VND", "VUV",
    "WST",
    "XAF", "XCD", "XCG", "XOF", "XPF",
    "YER",
    "ZAR", "ZMW", "ZWG",
])



def currency_choices(current: str = "") -> list[tuple[str, str]]:
    """A form's choice of currency: the codes above in alphabetical order (plus ``current`` if it is an
    older code no longer listed, so that an existing value still shows), after an empty "—"."""
    codes = sorted(CURRENCIES | ({current} if current else set()))
    return [("", "—")] + [(c, c) for c in codes]


# Currencies whose ISO 4217 minor unit is 0: amounts are whole numbers.
ZERO_DECIMAL: frozenset[str] = frozenset([
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
])

# Every other currency is kept to 2 places, which is what the database's money columns store
# (decimal_places=2). ISO gives 3 places to BHD, IQD, JOD, KWD, LYD, OMR and TND; we keep to 2 for them
# so that an amount that passes validation is also an amount that can be saved.
DEFAULT_DECIMALS = 2


def decimals(currency: str) -> int:
    """The number of decimal places an amount in ``currency`` may have (0 or 2)."""
    return 0 if currency in ZERO_DECIMAL else DEFAULT_DECIMALS
