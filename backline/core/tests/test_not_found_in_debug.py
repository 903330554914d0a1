"""The local demo runs with DEBUG on; an unknown address there shows the product's 404 page (as in
production), not Django's technical page, and so does a public page (press kit, venue page) that is not
there or is private. Another page that exists but raises Http404 keeps the debug page,
so a developer still sees why."""

import pytest


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def test_an_unknown_address_with_debug_on_shows_the_product_404(client, user, debug):
    client.force_login(user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and "Back to Backline" in page
    assert "URLconf" not in page  # not Django's technical 404


def test_a_visitor_sees_the_product_404_too(client, db, debug):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "This page is not here" in response.content.decode()


def test_a_missing_trailing_slash_is_still_added_first(client, db, debug):
    response = client.get("/accounts/login")
    assert response.status_code == 301
    assert response["Location"] == "/accounts/login/"


def test_an_unknown_api_address_still_answers_problem_json(client, db, debug):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_page_that_raises_not_found_keeps_the_debug_page(client, db, debug):
    debug.DEV_MAILBOX_ENABLED = False  # the mailbox view raises Http404 with its reason
    response = client.get("/dev/mailbox/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "The development mailbox is off" in page and "This page is not here" not in page


@pytest.mark.parametrize("path", ["/a/no-such-act/", "/v/no-such-venue/"])
def test_a_public_page_that_is_not_there_shows_the_product_404_as_strangers_will(client, db, debug, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and "URLconf" not in page and "Raised by" not in page
