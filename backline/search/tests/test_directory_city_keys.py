"""Shareable directory addresses (issue 13, item 7): the city by a readable key ("?city=berlin-de"), the
geoname id (what the autocomplete sends) still accepted, through the pages and the API."""

from backline.core.places import city_key, find_city, resolve_city
from tests.factories import UserFactory

from .test_directory import BERLIN, acts  # noqa: F401  (the fixture)


def test_keys_are_readable_and_resolve_back():
    assert city_key(BERLIN) == "berlin-de" and resolve_city("berlin-de") == BERLIN
    assert resolve_city("Berlin-DE") == BERLIN and resolve_city(str(BERLIN.geoname_id)) == BERLIN
    assert city_key(find_city("Frankfurt am Main", "DE")) == "frankfurt-am-main-de"
    assert city_key(find_city("Köln", "DE")) == "koln-de"
    springfield = find_city("Springfield", "US")  # more than one in the country: the id tells them apart
    assert city_key(springfield) == f"springfield-us-{springfield.geoname_id}"
    assert resolve_city(city_key(springfield)) == springfield
    assert resolve_city("springfield-us") is None and resolve_city("nowhere-xx") is None and resolve_city("") is None


def test_the_page_accepts_the_key_and_emits_it(acts, client):  # noqa: F811
    client.force_login(UserFactory())
    by_key = client.get("/directory/acts/", {"city": "berlin-de", "radius_km": 300}).content.decode()
    by_id = client.get("/directory/acts/", {"city": BERLIN.geoname_id, "radius_km": 300}).content.decode()
    cards = by_key.count('data-testid="directory-card"')
    assert cards == by_id.count('data-testid="directory-card"') == 3  # the Owls, the Foxes, the Gulls
    # the autocomplete keeps showing the chosen city, with the value it knows (the geoname id)
    assert f'<option value="{BERLIN.geoname_id}" selected>Berlin, Germany</option>' in by_key
    partial = client.get("/directory/acts/", {"city": BERLIN.geoname_id, "radius_km": 300}, HTTP_HX_REQUEST="true")
    assert partial["HX-Replace-Url"] == "/directory/acts/?city=berlin-de&radius_km=300"
    bad = client.get("/directory/acts/", {"city": "atlantis-xx"}).content.decode()
    assert "Choose a city from the list." in bad and 'data-testid="directory-card"' not in bad


def test_the_api_accepts_the_key_or_the_id(acts, client):  # noqa: F811
    client.force_login(UserFactory())
    by_key = client.get("/api/v1/directory/acts", {"city": "berlin-de", "radius_km": 300}).json()
    by_id = client.get("/api/v1/directory/acts", {"city": BERLIN.geoname_id, "radius_km": 300}).json()
    assert by_key == by_id and by_key["count"] == 3
    unknown = client.get("/api/v1/directory/acts", {"city": "atlantis-xx"})
    assert unknown.status_code == 422 and unknown["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/directory/venues", {"city": "Berlin DE"}).status_code == 422
