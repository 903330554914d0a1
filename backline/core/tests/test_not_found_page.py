"""A web page that is not there (deleted, mistyped, or another workspace's) answers 404 with the site's
own page: navigation and a way back, not a bare "Not Found" (found by the fresh-eyes walk: a
notification about a deleted event led to a dead end)."""


def test_a_missing_page_answers_404_inside_the_site(client, user):
    client.force_login(user)
    response = client.get("/w/no-such-workspace/schedule/events/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and "Back to Backline" in page
    assert "navbar" in page  # the site's layout, with its navigation

