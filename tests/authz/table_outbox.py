"""Authorisation table entries for messaging's outbox (opt-out) (merged into table.WEB and table.API)."""

from __future__ import annotations

from .table import *  # noqa: F403  (the rule types, kinds and helpers)

WEB: dict = {}
API: dict = {}
