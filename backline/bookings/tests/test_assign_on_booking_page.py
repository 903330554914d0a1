"""Assigning a performer on an agency's booking page: the list starts with nobody chosen, the payout is
marked required, and what is missing is said beside its field, in the words Who's free uses."""

import datetime as dt
import re

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import performer_create
from backline.bookings import services

WHEN = dt.datetime.combine(dt.date.today() + dt.timedelta(days=40), dt.time(19), tzinfo=dt.UTC)


@pytest.fixture
def gig(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    owner = people[Role.OWNER]
    eve = performer_create(actor=owner, workspace_id=ws.pk, name="Eve")
    booking = services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Gala", starts_at=WHEN,
                                      ends_at=WHEN + dt.timedelta(hours=3))
    return ws, people, eve, booking


def _assign_form(page: str) -> str:
    return re.search(r'<form[^>]*data-testid="assign-form".*?</form>', page, re.S).group(0)


def test_the_performer_list_starts_empty_and_the_payout_is_marked_required(gig, login_client):
    ws, people, eve, booking = gig
    form = _assign_form(login_client(people[Role.COORDINATOR]).get(f"/w/{ws.slug}/bookings/{booking.pk}/").content.decode())
    assert re.search(r'<option value="" selected>Choose a performer</option>', form)
    assert f'<option value="{eve.pk}">Eve</option>' in form  # offered, not chosen
    payout = re.search(r'data-testid="assign-payout".*?</label>', form, re.S).group(0)
    assert "(required)" in payout
    assert "assign-error" not in form


def test_a_missing_payout_is_said_beside_the_payout_and_assigns_nobody(gig, login_client):
    ws, people, eve, booking = gig
    response = login_client(people[Role.COORDINATOR]).post(f"/w/{ws.slug}/bookings/{booking.pk}/performers/",
                                                           {"performer": eve.pk, "payout": ""})
    assert response.status_code == 422
    form = _assign_form(response.content.decode())
    payout = re.search(r'data-testid="assign-payout".*?</div>\s*</div>', form, re.S).group(0)
    assert "Enter what Eve is paid for this show (0 if nothing)." in payout
    assert 'aria-invalid="true"' in payout and "is-invalid" in payout
    assert f'<option value="{eve.pk}" selected>Eve</option>' in form  # what was typed stays
    assert "Choose a performer and a payout" not in response.content.decode()
    assert not booking.assignments.exists()


def test_no_performer_chosen_is_said_beside_the_performer(gig, login_client):
    ws, people, _, booking = gig
    response = login_client(people[Role.COORDINATOR]).post(f"/w/{ws.slug}/bookings/{booking.pk}/performers/",
                                                           {"performer": "", "payout": "150"})
    assert response.status_code == 422
    performer = re.search(r'data-testid="assign-performer".*?</div>\s*</div>', _assign_form(response.content.decode()),
                          re.S).group(0)
    assert "Choose a performer." in performer
    assert not booking.assignments.exists()


def test_with_both_the_performer_is_assigned(gig, login_client):
    ws, people, eve, booking = gig
    response = login_client(people[Role.COORDINATOR]).post(f"/w/{ws.slug}/bookings/{booking.pk}/performers/",
                                                           {"performer": eve.pk, "payout": "0"})
    assert response.status_code == 302
    assert booking.assignments.get().performer == eve
