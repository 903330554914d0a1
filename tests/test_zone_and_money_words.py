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


def test_money_on_a_booking_and_in_the_package_list_reads_like_the_deal_words(make_team, login_client):
    from backline.artists.services import performer_create
    from backline.bookings import services
    from backline.bookings.agency import services as agency_services

    ws, people = make_team(WorkspaceKind.AGENCY, name="Night Agency")
    owner = people[Role.OWNER]
    agency_services.package_create(actor=owner, workspace_id=ws.pk, name="Trio", duration_minutes=90,
                                   price="750", currency="GBP")
    gala = services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Gala", budget="900", currency="EUR")
    ana = performer_create(actor=owner, workspace_id=ws.pk, name="Ana")
    agency_services.performer_assign(actor=owner, booking_id=gala.pk, performer_id=ana.pk, payout="200")
    client = login_client(owner)
    page = visible_text(client.get(reverse("booking_detail", args=[ws.slug, gala.pk])).content.decode())
    assert "Budget €900" in page and "900.00" not in page and "900 EUR" not in page
    assert "Ana · €200" in page or "Ana · £200" in page
    form = visible_text(client.get(reverse("inquiry_new", args=[ws.slug])).content.decode())
    assert "Trio · £750" in form and "750.00" not in form


def test_a_date_poll_names_the_acts_zone_only_for_a_viewer_elsewhere(make_team, login_client):
    import datetime as dt

    from django.utils import timezone

    from backline.scheduling.services import polls

    act, people = make_team(WorkspaceKind.ACT)
    owner = people[Role.OWNER]
    start = (timezone.now() + dt.timedelta(days=14)).replace(microsecond=0)
    poll = polls.poll_create(actor=owner, workspace_id=act.pk, title="Next rehearsal",
                             options=[(start, start + dt.timedelta(hours=2))])
    url = reverse("poll_detail", args=[act.slug, poll.pk])
    text = visible_text(login_client(owner).get(url).content.decode())
    assert "Europe/Berlin" not in text and "Berlin time" not in text
    owner.time_zone = "America/Chicago"
    owner.save(update_fields=["time_zone"])
    text = visible_text(login_client(owner).get(url).content.decode())
    assert "Times in Berlin time." in text and "Europe/Berlin" not in text
