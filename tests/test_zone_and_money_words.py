"""Time zones and money in words people use (issue 12, item 5's second walk): a zone is named only where
it differs from the viewer's, as "Lisbon time", never as a code ("Europe/Berlin", "CET")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backline.accounts.models import Role, WorkspaceKind
from tests.test_no_machine_words import visible_text

pytestmark = pytest.mark.django_db


def test_the_act_schedule_names_the_acts_zone_only_when_it_is_not_the_viewers(make_team, login_client):
    act, people = make_team(WorkspaceKind.ACT)  # a Berlin act
    owner = people[Role.OWNER]
    url = reverse("act_schedule", args=[act.slug])
    text = visible_text(login_client(owner).get(url).content.decode())
    assert "Europe/Berlin" not in text and "Berlin time" not in text  # the owner lives in Berlin too
    owner.time_zone = "Europe/Lisbon"
    owner.save(update_fields=["time_zone"])
    text = visible_text(login_client(owner).get(url).content.decode())
    assert "Times in Berlin time" in text and "Europe/Berlin" not in text


def test_my_availability_does_not_show_a_zone_code(make_user, login_client):
    person = make_user(time_zone="Europe/Lisbon")
    text = visible_text(login_client(person).get(reverse("availability")).content.decode())
    assert "Europe/Lisbon" not in text
    assert "Times shown in your time zone" in text
