"""Notifications in words: an icon of its own for every type, and previews that never show Markdown marks
(stored ones are shown as emphasis, safely)."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from backline.notifications import services
from backline.notifications.models import NotificationType as T
from tests.factories import UserFactory


def icon(type_: str) -> str:
    return render_to_string("notifications/_type_icon.html", {"type": type_})


def test_every_type_has_its_own_icon():
    icons = {t: icon(t) for t in T.values}
    assert "bell" not in icons.values(), icons
    assert len(set(icons.values())) == len(icons), icons
    assert all("\n" not in i and " " not in i for i in icons.values())


@pytest.mark.parametrize(("text", "html"), [
    ("Can we sell the **merch** at the door?", "Can we sell the <strong>merch</strong> at the door?"),
    ("an _early_ load-in and *soundcheck*", "an <em>early</em> load-in and <em>soundcheck</em>"),
    ("<script>alert(1)</script> **<b>x</b>**", "&lt;script&gt;alert(1)&lt;/script&gt; <strong>&lt;b&gt;x&lt;/b&gt;</strong>"),
    ("cut off in the middle of **bold", "cut off in the middle of bold"),
    ("snake_case_name and 2 * 3 * 4", "snake_case_name and 2 * 3 * 4"),
])
def test_marks_are_shown_as_emphasis_and_everything_else_escaped(text, html):
    assert Template("{% load words %}{{ text|marks }}").render(Context({"text": text})) == html


@pytest.mark.django_db
def test_the_list_shows_a_stored_preview_without_asterisks(login_client):
    person = UserFactory()
    services.notify(users=[person], type=T.MESSAGE, title="Ines in “Album release”",
                    body="Guest list coming tomorrow. Can we sell the **merch**?", url="/")
    page = login_client(person).get("/notifications/").content.decode()
    assert "<strong>merch</strong>" in page and "**" not in page
    assert "bi-chat-dots" in page and "bi-bell " not in page.split('data-testid="notification"')[1]
