"""Domain errors become RFC 9457 documents carrying what a client needs to act on them."""

import json

from ninja import NinjaAPI

from backline.core.api import install_error_handlers
from backline.core.errors import Invalid, RateLimited


def _answer(error):
    api = NinjaAPI(urls_namespace="problem-test")
    install_error_handlers(api)
    response = api.on_exception(None, error)  # the handler chosen for the error's class, as for a request
    return response, json.loads(response.content)


def test_a_rate_limit_says_when_to_retry_in_the_header_and_the_body():
    response, body = _answer(RateLimited("This workspace sent its 200 emails for this hour.", retry_after=1234))
    assert response.status_code == 429
    assert response["Retry-After"] == "1234"
    assert body["retry_after"] == 1234 and body["code"] == "rate_limited"
    assert body["detail"] == "This workspace sent its 200 emails for this hour."


def test_a_refused_import_lists_its_rows():
    rows = [{"row": 3, "field": "email", "message": "Enter a valid email address."}]
    response, body = _answer(Invalid("The file has errors; nothing was imported.", rows=rows))
    assert response.status_code == 422
    assert body["rows"] == rows
    assert "Retry-After" not in response
