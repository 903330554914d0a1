"""A mail server's refusal in people's words, from its enhanced status code or its reply code."""

import pytest

from backline.mail.refusals import FALLBACK, TEMPORARY, refusal_in_words


@pytest.mark.parametrize(("reply", "words"), [
    ("550 5.1.1 The email account that you tried to reach does not exist", "The address doesn't exist"),
    ("550 5.1.1 <nobody@venue.example>: Recipient address rejected: User unknown", "The address doesn't exist"),
    ("552 5.2.2 The email account that you tried to reach is over quota", "The mailbox is full"),
    ("452 4.2.2 Mailbox full, try again later", "The mailbox is full"),
    ("550 5.7.1 Message rejected under policy", "The receiving mail server refused it (it does not accept mail from us)"),
    ("421 4.7.0 Try again later, closing connection", "The receiving mail server refused it as unwanted mail"),
    ("451 4.3.0 Temporary local problem", "The receiving mail server refused it"),
    ("450 4.9.9 Something odd", TEMPORARY),
    ("550 5.9.9 Something odd", FALLBACK),
    ("552 Requested mail action aborted: exceeded storage allocation", "The mailbox is full"),
    ("421 Service not available", TEMPORARY),
    ("Recipient refused", FALLBACK),
    ("", FALLBACK),
    (None, FALLBACK),
    ("Address 10.1.1.5 blocked", FALLBACK),  # a number in the text is not a status code
])
def test_a_refusal_is_put_in_words(reply, words):
    assert refusal_in_words(reply) == words
