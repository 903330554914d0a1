"""``GET /api/v1/search``: groups with the hits' URLs, and its refusals as problem documents."""

from backline.accounts.models import Role

PROBLEM = "application/problem+json"


def test_api_answers_groups_with_urls(api, world):
    body = api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "  jazz   night "}).json()
    assert body["query"] == "jazz night"
    assert [g["type"] for g in body["groups"]] == ["inquiries"]  # every word is needed: the act has no "night"
    body = api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "jazz"}).json()
    assert [g["type"] for g in body["groups"]] == ["inquiries", "acts"]  # only groups with hits, in order
    inquiries = body["groups"][0]
    assert inquiries["label"] == "Inquiries"
    assert inquiries["hits"] == [{"type": "inquiries", "id": world["inquiry"].pk,
                                  "title": "Midsummer jazz night",
                                  "subtitle": inquiries["hits"][0]["subtitle"],
                                  "url": f"/w/{world['venue_ws'].slug}/bookings/{world['inquiry'].pk}/"}]
    assert body["groups"][1]["hits"][0]["url"] is None
    only = api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "owls", "type": "acts"}).json()
    assert [g["type"] for g in only["groups"]] == ["acts"]
    assert api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "a"}).json() == {"query": "a", "groups": []}


def test_api_refuses_anonymous_bad_types_and_long_queries(api, world):
    anonymous = api(None).get("/api/v1/search", {"q": "jazz"})
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == PROBLEM
    owner = api(world["venue"][Role.OWNER])
    bad_type = owner.get("/api/v1/search", {"q": "jazz", "type": "songs"})
    assert bad_type.status_code == 422 and "type" in {e["field"] for e in bad_type.json()["errors"]}
    too_long = owner.get("/api/v1/search", {"q": "x" * 101})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "q"


