"""Authorisation table entries for mail's (merged into table.WEB and table.API): the provider's
webhooks and the held (quarantined) incoming mail."""

from __future__ import annotations

import json
from dataclasses import dataclass

from backline.accounts.permissions import OUTREACH_MANAGE

from .table import *  # noqa: F403  (the rule types, kinds and helpers)
from .table import GET, POST, Member


@dataclass(frozen=True)
class Webhook:
    """An email provider's webhook (/webhooks/email/<provider>/<kind>/): no log-in, no CSRF; the
    provider's signature is the key. An unsigned or forged POST answers 401 to anonymous and logged-in
    callers alike (a session proves nothing to a webhook); a correctly signed one answers 200; GET is 405."""

    kind: str  # "tracking" or "inbound"
    provider: str = "mailgun"

    def configure(self, settings) -> dict:
        """Set the provider and its signing key (pytest-django's ``settings``); answers the URL kwargs."""
        from backline.mail.tests.payloads import webhook_settings

        webhook_settings(settings, self.provider)
        return {"provider": self.provider}

    def calls(self) -> list[tuple[str, bytes | str, str, int]]:
        """(label, body, content type, expected status): forged and unsigned calls, then a signed one."""
        from urllib.parse import urlencode

        from backline.mail.tests import payloads

        def tracking(key):
            return json.dumps(payloads.mailgun_tracking("delivered", recipient="matrix@example.org", email_id=0,
                                                        key=key)), "application/json"

        def inbound(key):
            return urlencode(payloads.mailgun_inbound(to=f"nobody@{payloads.INBOUND_DOMAIN}", key=key)), \
                "application/x-www-form-urlencoded"

        make = tracking if self.kind == "tracking" else inbound
        return [("unsigned", *make(None), 401), ("forged", *make("a-guessed-key"), 401),
                ("signed", *make(payloads.MAILGUN_KEY), 200)]


WEB: dict = {
    "email_webhook_tracking": Webhook("tracking"),
    "email_webhook_inbound": Webhook("inbound"),
    "quarantine_list": Member(OUTREACH_MANAGE),
    "quarantine_release": Member(OUTREACH_MANAGE, POST, fresh=("quarantine_id",)),
    "quarantine_discard": Member(OUTREACH_MANAGE, POST, fresh=("quarantine_id",)),
}
API: dict = {
    ("GET", "/api/v1/workspaces/{workspace_id}/quarantine"): Member(OUTREACH_MANAGE, GET),
    ("POST", "/api/v1/quarantine/{quarantine_id}/release"):
        Member(OUTREACH_MANAGE, fresh=("quarantine_id",), body={"add_contact": False}),
    ("POST", "/api/v1/quarantine/{quarantine_id}/discard"): Member(OUTREACH_MANAGE, fresh=("quarantine_id",)),
}
