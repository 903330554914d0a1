"""Unknown paths: the API answers RFC 9457 problem+json, the web keeps its HTML 404 page."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/acts/1/nothing-here/", "/api/v2/", "/api/"])
def test_unknown_api_path_is_a_problem_document(client, settings, path):
    assert settings.DEBUG is False
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == "not_found"
    assert body["type"] == "https://backline.dev/problems/not_found"


def test_unknown_api_path_is_a_problem_document_for_writes_too(client):
    response = client.post("/api/v1/no-such-thing/", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_web_path_keeps_the_html_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"This page is not here" in response.content  # the site's own 404 page
