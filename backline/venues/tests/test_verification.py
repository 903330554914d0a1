"""A venue's verification: requests with evidence that only Backline's staff approve or reject (in the
admin too), vouches recorded by the bookings layer, the badge's words, the Verification pages (constant
queries), the API, and unverified venues marked in search."""

import pytest
from django.template.loader import render_to_string

from backline.accounts.models import Role, WorkspaceKind
from backline.core.errors import Conflict, Forbidden, Invalid, InvalidTransition
from backline.venues import verification
from backline.venues.models import Venue, VerificationRequest, VerificationStatus
from backline.venues.services import venue_create
from backline.venues.trust import trust_of, verified_venue_q, with_trust
from tests.factories import UserFactory
from tests.pages import assert_constant_queries


@pytest.fixture
def hall(make_team):
    ws, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    return Venue.objects.get(workspace=ws), people


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)  # like the demo's staff: the admin needs permissions


def submit(venue, people, **evidence):
    return verification.verification_request_submit(actor=people[Role.OWNER], venue_id=venue.pk,
                                                    **(evidence or {"website": "https://lantern.example.org"}))


def test_a_request_needs_evidence_from_the_venues_own_library(hall, make_team):
    from backline.media.models import Asset

    venue, people = hall
    with pytest.raises(Invalid) as refused:
        submit(venue, people, evidence="  ")
    assert "evidence" in refused.value.errors
    other_ws, _ = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = Asset.objects.create(workspace=other_ws, kind="document", file="x.pdf", content_type="application/pdf")
    with pytest.raises(Invalid) as refused:
        submit(venue, people, document_ids=[foreign.pk])
    assert "document_ids" in refused.value.errors and not VerificationRequest.objects.exists()
    own = Asset.objects.create(workspace=venue.workspace, kind="document", file="r.pdf", content_type="application/pdf")
    request = submit(venue, people, business_registration="HRB 1234", document_ids=[own.pk])
    assert list(request.documents.all()) == [own] and request.status == VerificationStatus.SUBMITTED
    with pytest.raises(Conflict) as refused:
        submit(venue, people)
    assert refused.value.code == "verification_pending"
    with pytest.raises(Forbidden):
        submit(venue, {Role.OWNER: people[Role.MEMBER]})


def test_only_staff_approve_and_approval_makes_the_venue_verified(hall, staff):
    venue, people = hall
    request = submit(venue, people)
    for someone in (people[Role.OWNER], UserFactory()):
        with pytest.raises(Forbidden):
            verification.verification_request_approve(actor=someone, request_id=request.pk)
    assert trust_of(venue).level == "unverified"
    verification.verification_request_approve(actor=staff, request_id=request.pk)
    request.refresh_from_db()
    assert request.reviewed_by == staff and request.reviewed_at is not None
    trust = trust_of(venue)
    assert trust.level == "verified" and trust.summary.startswith("Verified by Backline on ")
    assert request.reviewed_at.strftime("%b %Y") in trust.summary
    with pytest.raises(Conflict) as refused:
        submit(venue, people)
    assert refused.value.code == "already_verified"


def test_rejection_keeps_the_venue_unverified_with_a_reason(hall, staff, login_client):
    venue, people = hall
    request = submit(venue, people)
    with pytest.raises(Invalid):
        verification.verification_request_reject(actor=staff, request_id=request.pk, reason=" ")
    verification.verification_request_reject(actor=staff, request_id=request.pk, reason="The register number is wrong.")
    with pytest.raises(InvalidTransition):
        verification.verification_request_approve(actor=staff, request_id=request.pk)
    assert trust_of(venue).level == "unverified"
    page = login_client(people[Role.VIEWER]).get(f"/w/{venue.workspace.slug}/venues/{venue.pk}/verification/")
    text = page.content.decode()
    assert "Not approved" in text and "The register number is wrong." in text and "Not verified yet" in text
    submit(venue, people)  # a new request may follow


def test_staff_approve_and_reject_from_the_admin(hall, make_team, staff, client):
    venue, people = hall
    other = Venue.objects.get(workspace=make_team(WorkspaceKind.VENUE, name="Velvet Room")[0])
    first, second = submit(venue, people), verification.verification_request_submit(
        actor=other.workspace.memberships.get(role="owner").user, venue_id=other.pk, evidence="Since 1999.")
    client.force_login(staff)
    url = "/admin/venues/verificationrequest/"
    client.post(url, {"action": "approve", "_selected_action": [first.pk]})
    asked = client.post(url, {"action": "reject", "_selected_action": [second.pk]})
    assert asked.status_code == 200 and "Reason" in asked.content.decode()  # the reason is asked for first
    client.post(url, {"action": "reject", "_selected_action": [second.pk], "apply": "1", "reason": "No proof."})
    assert trust_of(venue).level == "verified"
    second.refresh_from_db()
    assert second.status == VerificationStatus.REJECTED and second.reason == "No proof."


def test_vouches_reach_the_threshold_and_the_badge_says_so(hall, settings):
    venue, _ = hall
    settings.VENUE_VOUCHES_REQUIRED = 2
    badge = lambda: render_to_string("profiles/_venue_badge.html", {"venue": Venue.objects.get(pk=venue.pk)})  # noqa: E731
    assert "Not verified yet" in badge()
    acts = [UserFactory() for _ in range(2)]
    from backline.accounts.services import workspace_create
    from backline.core.places import find_city

    berlin = find_city("Berlin", "DE").geoname_id
    for i, owner in enumerate(acts):
        ws = workspace_create(actor=owner, kind=WorkspaceKind.ACT, name=f"Act {i}", geoname_id=berlin)
        verification.venue_vouch_record(actor=owner, venue_id=venue.pk, act_workspace_id=ws.pk, booking_id=i + 1,
                                        booking_reference=f"BL-{i}")
        if i == 0:
            with pytest.raises(Conflict):
                verification.venue_vouch_record(actor=owner, venue_id=venue.pk, act_workspace_id=ws.pk, booking_id=9,
                                                booking_reference="BL-9")
    assert "Vouched for by 2 acts who played here" in badge()
    annotated = with_trust(Venue.objects.filter(pk=venue.pk)).get()
    assert (annotated.trust_level, annotated.trust_vouches) == ("vouched", 2)
    assert list(Venue.objects.filter(verified_venue_q()).values_list("pk", flat=True)) == [venue.pk]


def test_the_verification_pages_and_their_query_counts(hall, login_client, django_assert_max_num_queries):
    venue, people = hall
    ws = venue.workspace
    owner = login_client(people[Role.OWNER])
    page = owner.get(f"/w/{ws.slug}/venues/{venue.pk}/verification/").content.decode()
    assert "Ask Backline to verify Lantern Hall" in page and "media library" in page
    refused = owner.post(f"/w/{ws.slug}/venues/{venue.pk}/verification/request/", {"website": "not a url"})
    assert refused.status_code == 200 and "Enter a valid URL." in refused.content.decode()
    sent = owner.post(f"/w/{ws.slug}/venues/{venue.pk}/verification/request/",
                      {"business_registration": "HRB 1", "website": "lantern.example.org"}, follow=True)
    assert "Waiting for review" in sent.content.decode()
    viewer = login_client(people[Role.VIEWER])
    assert 'data-testid="verification-form"' not in viewer.get(f"/w/{ws.slug}/venues/{venue.pk}/verification/").content.decode()
    n = iter(range(100))

    def more_venues():
        from backline.core.places import find_city

        for _ in range(4):
            venue_create(actor=people[Role.OWNER], workspace_id=ws.pk, name=f"Room {next(n)}", capacity=100,
                         geoname_id=find_city("Berlin", "DE").geoname_id)
    from tests.pages import SHELL_QUERIES

    assert_constant_queries(owner, {f"/w/{ws.slug}/verification/": 2 + SHELL_QUERIES}, more_venues,
                            django_assert_max_num_queries)


def test_the_api_reads_the_level_and_takes_a_request(hall, client, bearer):
    venue, people = hall
    headers = bearer(people[Role.COORDINATOR])
    level = client.get(f"/api/v1/venues/{venue.pk}/verification", **headers).json()
    assert level["level"] == "unverified" and level["summary"] == "Not verified yet" and level["latest_request"] is None
    bad = client.post(f"/api/v1/venues/{venue.pk}/verification-requests", {"website": "javascript:alert(1)"},
                      content_type="application/json", **headers)
    assert bad.status_code == 422 and "website" in str(bad.json())
    made = client.post(f"/api/v1/venues/{venue.pk}/verification-requests", {"evidence": "Open since 2004."},
                       content_type="application/json", **headers)
    assert made.status_code == 201 and made.json()["status_label"] == "Waiting for review"
    again = client.post(f"/api/v1/venues/{venue.pk}/verification-requests", {"evidence": "Again."},
                        content_type="application/json", **headers)
    assert again.status_code == 409 and again.json()["code"] == "verification_pending"
    denied = client.post(f"/api/v1/venues/{venue.pk}/verification-requests", {"evidence": "x"},
                         content_type="application/json", **bearer(people[Role.MEMBER]))
    assert denied.status_code == 403


def test_search_marks_venues_not_verified_yet(hall, make_team, staff, login_client):
    venue, people = hall
    other = Venue.objects.get(workspace=make_team(WorkspaceKind.VENUE, name="Lantern Club")[0])
    verification.verification_request_approve(actor=staff, request_id=submit(venue, people).pk)
    page = login_client(people[Role.OWNER]).get("/search/?q=lantern").content.decode()
    rows = {name: page.split(name, 1)[1][:300] for name in (venue.name, other.name)}
    assert "Not verified yet" in rows[other.name] and "Not verified yet" not in rows[venue.name].split("list-group-item")[0]
