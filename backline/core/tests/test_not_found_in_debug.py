"""The local demo runs with DEBUG on; an unknown address there shows the product's 404 page (as in
production), not Django's technical page. A page that exists but raises Http404 keeps the debug page,
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
