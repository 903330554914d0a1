"""The search page: a login, the whole page and its htmx partial."""

from django.test import Client

from backline.accounts.models import Role


def test_the_page_needs_a_login(world):
    response = Client().get("/search/", {"q": "jazz"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_and_its_htmx_partial(login_client, world):
    browser = login_client(world["venue"][Role.OWNER])
    page = browser.get("/search/", {"q": "Midsummer"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and 'hx-trigger="input changed delay:300ms' in html
    assert 'data-testid="search-group-inquiries"' in html and "Midsummer jazz night" in html
    assert "Midsummer jazz brunch" not in html
    partial = browser.get("/search/", {"q": "Midsummer"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "<form" not in partial and "Midsummer jazz night" in partial
    assert f'href="/w/{world["venue_ws"].slug}/bookings/{world["inquiry"].pk}/"' in partial
    nothing = browser.get("/search/", {"q": "zzzz"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="search-empty"' in nothing
    too_long = browser.get("/search/", {"q": "x" * 101}, HTTP_HX_REQUEST="true")
    assert too_long.status_code == 200 and "at most 100 characters" in too_long.content.decode()


