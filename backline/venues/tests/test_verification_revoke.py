"""Backline's staff withdraw a venue's verification: staff only, with a reason the venue sees, audited,
the owners and admins told; the badge drops at once; bad input changes nothing; the admin action asks
for the reason first."""

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.core.errors import Conflict, Forbidden, Invalid
from backline.core.models import AuditEntry
from backline.notifications.models import Notification
from backline.venues import verification
from backline.venues.models import Venue, VerificationStatus
from backline.venues.trust import trust_of, verified_venue_q
from tests.factories import UserFactory


@pytest.fixture
def verified_hall(make_team, db):
    ws, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    venue = Venue.objects.get(workspace=ws)
    staff = UserFactory(is_staff=True, is_superuser=True)
    request = verification.verification_request_submit(actor=people[Role.OWNER], venue_id=venue.pk, website="https://l.example.org")
    verification.verification_request_approve(actor=staff, request_id=request.pk)
    return venue, people, staff


def test_staff_withdraw_with_a_reason_the_venue_sees(verified_hall, login_client, django_capture_on_commit_callbacks):
    venue, people, staff = verified_hall
    with django_capture_on_commit_callbacks(execute=True):
        verification.venue_verification_revoke(actor=staff, venue_id=venue.pk, reason="  The venue closed.  ")
    assert trust_of(venue).level == "unverified" and not Venue.objects.filter(verified_venue_q(), pk=venue.pk).exists()
    request = venue.verification_requests.get()
    assert request.status == VerificationStatus.REVOKED and request.reason == "The venue closed." and request.revoked_by == staff
    entry = AuditEntry.objects.get(action="venue.verification_revoked")
    assert entry.after == {"reason": "The venue closed."} and entry.workspace_id == venue.workspace_id
    told = set(Notification.objects.filter(type="verification").values_list("user_id", flat=True))
    assert told == {people[Role.OWNER].pk, people[Role.ADMIN].pk}
    assert "Why: The venue closed." in Notification.objects.filter(type="verification").first().body
    page = login_client(people[Role.VIEWER]).get(f"/w/{venue.workspace.slug}/venues/{venue.pk}/verification/").content.decode()
    assert "Verification withdrawn" in page and "The venue closed." in page and "Not verified yet" in page
    verification.verification_request_submit(actor=people[Role.OWNER], venue_id=venue.pk, evidence="Reopened.")  # may ask again


def test_only_staff_and_only_with_a_reason_and_nothing_changes(verified_hall):
    venue, people, staff = verified_hall
    for someone in (people[Role.OWNER], UserFactory()):
        with pytest.raises(Forbidden):
            verification.venue_verification_revoke(actor=someone, venue_id=venue.pk, reason="Because.")
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(Invalid) as refused:
            verification.venue_verification_revoke(actor=staff, venue_id=venue.pk, reason=reason)
        assert "reason" in refused.value.errors
    assert trust_of(venue).level == "verified" and not AuditEntry.objects.filter(action="venue.verification_revoked").exists()
    verification.venue_verification_revoke(actor=staff, venue_id=venue.pk, reason="Closed.")
    with pytest.raises(Conflict) as refused:
        verification.venue_verification_revoke(actor=staff, venue_id=venue.pk, reason="Again.")
    assert refused.value.code == "not_verified"


def test_the_admin_asks_for_the_reason_then_withdraws(verified_hall, client):
    venue, _, staff = verified_hall
    client.force_login(staff)
    url, pk = "/admin/venues/verificationrequest/", venue.verification_requests.get().pk
    asked = client.post(url, {"action": "revoke", "_selected_action": [pk]})
    assert asked.status_code == 200 and "Reason" in asked.content.decode() and trust_of(venue).level == "verified"
    client.post(url, {"action": "revoke", "_selected_action": [pk], "apply": "1", "reason": "Fake address."})
    assert trust_of(venue).level == "unverified"
