"""A band's first day in Backline, in a real Chromium: sign up and verify from the development
mailbox, create the act (city through the autocomplete), invite a bandmate, and the bandmate signs
up, verifies and accepts from the mailbox. Then the same workspace on a phone."""

import re

import pytest
from playwright.sync_api import expect

from backline.accounts.models import Invitation, InvitationStatus, Membership, Role, Workspace, WorkspaceKind
from backline.core.places import find_city
from tests.factories import PASSWORD as FACTORY_PASSWORD

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OWNER = "mira.owner@example.org"
BANDMATE = "drummer.joe@example.org"
PASSWORD = "tour-van-blue-2025"
BAND = "The Night Owls"


# Whether a <select> is wide enough to show its longest option without cutting it off.
FITS_ITS_OPTIONS = """el => {
    const cs = getComputedStyle(el);
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const widest = Math.max(...[...el.options].map(o => ctx.measureText(o.text).width));
    return widest <= el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) + 1;
}"""


def ignorable(url: str) -> bool:
    return url.endswith("/favicon.ico")


def assert_clean(b) -> None:
    """No request failed (other than the favicon) and no script error happened."""
    assert [r for r in b.failed_responses if not ignorable(r.split(" ", 1)[1])] == []
    assert [e for e in b.console_errors if not ignorable(e.rsplit(" at ", 1)[-1])] == []


def sign_up(b, email: str, name: str) -> None:
    page = b.page
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    b.shot("signup-form")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    b.shot("verification-sent")


def open_mail(b, *, to: str, subject: str) -> None:
    """Open the development mailbox (the user menu, or for a visitor the note on the page that said mail was sent) and then the
    newest message matching."""
    page = b.page
    if page.get_by_test_id("user-menu").count():
        page.get_by_test_id("user-menu").click()
    page.get_by_test_id("dev-mailbox-link").click()
    expect(page.get_by_role("heading", name="Development mailbox")).to_be_visible()
    b.shot("mailbox")
    page.get_by_test_id("mailbox").locator("a").filter(has_text=subject).filter(has_text=to).first.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(subject)))).to_be_visible()
    b.shot("mail")


def follow_mail_link(b, path_prefix: str, base_url: str) -> None:
    link = b.page.get_by_test_id("mail-body").locator(f"a[href*='{path_prefix}']")
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    assert href.startswith(f"{base_url}{path_prefix}"), f"the mail links to {href}, not to the live server"
    link.click()


def verify_email(b, email: str, base_url: str) -> None:
    page = b.page
    open_mail(b, to=email, subject="Confirm your email address for Backline")
    follow_mail_link(b, "/accounts/confirm-email/", base_url)
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    expect(page.get_by_text(email).first).to_be_visible()
    b.shot("confirm-email")
    page.get_by_role("button", name="Confirm").click()
    # Confirmed and logged in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); a newcomer lands on their workspaces.
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def log_out(b) -> None:
    page = b.page
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_test_id("visitor-nav").get_by_role("link", name="Log in")).to_be_visible()
    b.shot("logged-out")


def log_in(b, email: str, password: str) -> None:
    page = b.page
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    b.shot("login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-menu")).to_be_attached()


def test_band_signs_up_creates_act_and_a_bandmate_joins_by_invitation(open_browser, site):
    b = open_browser()
    page = b.page
    berlin = find_city("Berlin", "DE")

    # 1. The owner signs up and verifies the address from the development mailbox.
    sign_up(b, OWNER, "Mira Singer")
    b.assert_styled()
    verify_email(b, OWNER, site.url)
    b.shot("no-workspace-yet")

    # 2. Workspace switcher → New workspace → Act, with the city from the autocomplete.
    page.get_by_test_id("workspace-switcher").click()
    page.locator("#mainnav .dropdown-menu").get_by_role("link", name="New workspace").click()
    expect(page.get_by_role("heading", name="New workspace")).to_be_visible()
    b.shot("choose-kind")
    page.locator("a[href='/workspaces/new-act/']").click()
    expect(page.get_by_role("heading", name="New act")).to_be_visible()
    page.fill("#id_name", BAND)
    page.fill("#id_instruments", "vocals, guitar")
    with page.expect_response(lambda r: "/api/v1/places/cities?q=Berl" in r.url and r.status == 200):
        page.locator("#id_city-ts-control").press_sequentially("Berl", delay=50)
    option = page.locator(".ts-dropdown .option", has_text="Berlin, Germany").first
    expect(option).to_be_visible()
    expect(option).to_have_text("Berlin, Germany")  # the place only; no time zone code
    b.shot("city-autocomplete")
    option.click()
    expect(page.locator("#id_city")).to_have_value(str(berlin.geoname_id))
    b.shot("act-form-filled")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text(BAND)
    expect(page.get_by_text("Berlin, DE").first).to_be_visible()
    b.shot("band-dashboard")
    workspace = Workspace.objects.get(name=BAND)
    assert (workspace.kind, workspace.geoname_id, workspace.time_zone) == (WorkspaceKind.ACT, berlin.geoname_id,
                                                                           "Europe/Berlin")

    # 3. People → invite the drummer (an htmx form: the member list is swapped in place).
    page.locator("#mainnav").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    form = page.get_by_test_id("invite-form")
    form.locator("input[name=email]").fill(BANDMATE)
    form.locator("select[name=role]").select_option(Role.MEMBER)
    b.shot("invite-form")
    with page.expect_response(lambda r: r.url.endswith("/people/invite/") and r.request.headers.get("hx-request") == "true"):
        form.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_test_id("invitations")).to_contain_text(BANDMATE)
    expect(page.locator("#messages")).to_contain_text(f"Invitation sent to {BANDMATE}")
    b.shot("invitation-sent")
    log_out(b)

    # 4. The drummer signs up with the invited address, verifies, and opens the invitation mail.
    sign_up(b, BANDMATE, "Joe Drummer")
    verify_email(b, BANDMATE, site.url)
    expect(page.get_by_test_id("pending-invitations")).to_contain_text(BAND)
    b.shot("bandmate-sees-pending-invitation")
    open_mail(b, to=BANDMATE, subject=f"invited you to {BAND}")
    follow_mail_link(b, "/invitations/", site.url)
    expect(page.get_by_role("heading", name=f"Join {BAND}")).to_be_visible()
    b.shot("invitation-page")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text(BAND)
    expect(page.locator("#messages")).to_contain_text(f"Welcome to {BAND}!")
    expect(page.get_by_test_id("act-panel")).to_contain_text("Joe Drummer")  # linked into the line-up by name
    b.shot("bandmate-dashboard")
    log_out(b)

    # 5. The owner logs in again: the dashboard lists the drummer under People.
    log_in(b, OWNER, PASSWORD)
    expect(page.get_by_test_id("dashboard-title")).to_have_text(BAND)
    members = page.get_by_test_id("dashboard-members")
    expect(members).to_contain_text("Joe Drummer")
    expect(members).to_contain_text("Member")
    expect(members).to_contain_text("Mira Singer")
    b.shot("owner-dashboard")
    b.assert_styled()

    assert Membership.objects.get(workspace=workspace, user__email=BANDMATE).role == Role.MEMBER
    assert Invitation.objects.get(workspace=workspace, email=BANDMATE).status == InvitationStatus.ACCEPTED
    assert_clean(b)


def test_phone_owner_opens_dashboard_and_people(open_browser, make_team):
    workspace, people = make_team(WorkspaceKind.ACT, name="Pocket Orchestra")
    owner = people[Role.OWNER]
    b = open_browser(PHONE)
    page = b.page

    log_in(b, owner.email, FACTORY_PASSWORD)
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Pocket Orchestra")
    b.assert_styled()
    toggler = page.get_by_test_id("nav-toggle")
    expect(toggler).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()  # the sidebar is a drawer behind the toggler
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    b.shot("dashboard")

    toggler.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # opened, the animation done
    b.shot("menu-open")
    page.locator("#mainnav").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    table = page.get_by_test_id("members-table")
    expect(table).to_be_visible()
    for person in people.values():
        expect(table.get_by_text(person.display_name, exact=False).first).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(len(people))
    for select in table.locator("select[name=role]").all():
        assert select.evaluate(FITS_ITS_OPTIONS), "a role menu is too narrow: its role names are cut off"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    b.shot("people")
    assert_clean(b)
