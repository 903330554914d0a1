"""The 500 page: in the product's look, and rendered by Django's handler500 with nothing to lean on
(no request context, no user, no database), because whatever failed may be exactly one of those."""

from django.test import RequestFactory
from django.urls import get_resolver


def test_the_server_error_page_renders_without_a_request_context_or_the_database():
    # No django_db mark: pytest-django makes any database access in this test an error.
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get("/w/somewhere/")  # no session, no user: the middleware never ran
    response = handler(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and 'href="/"' in page
    assert "/static/dist/styles.css" in page and "/static/brand/backline.svg" in page  # the product's look
