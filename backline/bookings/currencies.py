"""The ISO 4217 list moved to ``backline.core.currencies`` (every app's forms choose from it, the accounts
app's workspace currency included); this name stays for the pipeline's callers."""

from backline.core.currencies import CURRENCIES, DEFAULT_DECIMALS, ZERO_DECIMAL, currency_choices, decimals

__all__ = ["CURRENCIES", "DEFAULT_DECIMALS", "ZERO_DECIMAL", "currency_choices", "decimals"]
