"""Authorisation table entries for mail's opt-out link (merged into table.WEB and table.API)."""

from __future__ import annotations

from .table import *  # noqa: F403  (the rule types, kinds and helpers)

WEB: dict = {
    # The opt-out link in every outreach email: public, the signed token is the key (forged → 404).
    "email_opt_out": SecretLink("opt_out"),  # noqa: F405
}
API: dict = {}
