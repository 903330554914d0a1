"""allauth's emails in Backline's words: greeted by name, sentence-case subjects, signed "Backline"."""

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-and-unusual-passphrase"


def test_the_sign_up_confirmation_greets_by_name_and_speaks_plainly(client):
    client.post("/accounts/signup/", {"name": "Nina Simone", "email": "fe.tester@example.org",
                                      "password1": PASSPHRASE, "password2": PASSPHRASE})
    message = mail.outbox[-1]
    assert message.to == ["fe.tester@example.org"]
    assert message.subject == "Confirm your email address for Backline"
    body = message.body
    assert body.startswith("Hello Nina Simone,")
    assert "/accounts/confirm-email/" in body
    assert body.rstrip().endswith("— Backline")
    for boilerplate in ("Hello from", "fe.tester", "user ", "Thank you for using", "[Backline]"):
        assert boilerplate not in body, boilerplate


def test_the_password_reset_email_greets_by_name_and_speaks_plainly(client):
    UserFactory(email="drummer@example.org", name="Max Roach")
    client.post("/accounts/password/reset/", {"email": "drummer@example.org"})
    message = mail.outbox[-1]
    assert message.subject == "Reset your Backline password"
    body = message.body
    assert body.startswith("Hello Max Roach,")
    assert "/accounts/password/reset/key/" in body
    assert "you can ignore this email" in body
    assert body.rstrip().endswith("— Backline")
    assert "Hello from" not in body and "username" not in body


def test_a_person_without_a_name_is_greeted_without_one(client):
    UserFactory(email="bassist@example.org", name="")
    client.post("/accounts/password/reset/", {"email": "bassist@example.org"})
    assert mail.outbox[-1].body.startswith("Hello,\n")
