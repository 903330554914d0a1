"""A mail server's refusal in people's words: the SMTP reply ("550 5.1.1 <…> does not exist") read for its
enhanced status code (RFC 3463: class.subject.detail) or, failing that, its three-digit reply code.
The raw reply stays on the email's own page (under "Details from the mail server"); notifications use these
words."""

import re

FALLBACK = "The receiving mail server refused it"
TEMPORARY = "The receiving mail server could not take it for now"

# subject.detail of an enhanced status code → words (the class, 4 or 5, only says temporary or permanent).
_ENHANCED = {
    "1.1": "The address doesn't exist",
    "1.2": "The address's mail domain doesn't exist",
    "1.3": "The address is not written correctly",
    "1.6": "The address has moved and no longer takes mail",
    "1.10": "The address's mail domain doesn't take mail",
    "2.1": "The mailbox is switched off",
    "2.2": "The mailbox is full",
    "2.3": "The message is too large for the mailbox",
    "3.4": "The message is too large for the receiving server",
    "4.1": "The receiving mail server did not answer",
    "4.4": "The receiving mail server could not be found",
    "7.1": "The receiving mail server refused it (it does not accept mail from us)",
    "7.26": "The receiving mail server refused it as unverified mail",
}
_BY_CLASS = {"1": "The address was refused", "2": "The mailbox could not take it",
             "3": "The receiving mail server refused it", "7": "The receiving mail server refused it as unwanted mail"}
_BASIC = {"550": "The address doesn't exist or refuses mail", "551": "The address doesn't exist",
          "552": "The mailbox is full", "553": "The address is not written correctly",
          "554": FALLBACK}

_ENHANCED_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_BASIC_RE = re.compile(r"^\s*([245]\d\d)(?:[\s-]|$)")


def refusal_in_words(reply: str | None) -> str:
    """Words for a refusal (no full stop at the end): from the enhanced status code, the reply code, or the fallback."""
    text = reply or ""
    enhanced = _ENHANCED_RE.search(text)
    if enhanced:
        klass, subject, detail = enhanced.groups()
        words = _ENHANCED.get(f"{subject}.{detail}") or _BY_CLASS.get(subject)
        if words:
            return words
        return TEMPORARY if klass == "4" else FALLBACK
    basic = _BASIC_RE.match(text)
    if basic:
        code = basic.group(1)
        return TEMPORARY if code.startswith("4") else _BASIC.get(code, FALLBACK)
    return FALLBACK
