"""Every form that takes a currency offers the ISO 4217 list with a search box, starting at the
workspace's currency; a code typed past the list is refused with a clear message (the server decides)."""

import pytest

from backline.accounts.forms import WorkspaceProfileForm
from backline.accounts.models import Role, WorkspaceKind
from backline.bookings.agency.forms import PackageForm
from backline.bookings.forms import AskForm, BookingEditForm, InquiryForm, OfferForm
from backline.core.forms import CurrencyField

pytestmark = pytest.mark.django_db

FORMS = {
    "inquiry": lambda **kw: InquiryForm(**kw),
    "ask": lambda **kw: AskForm(**kw),
    "offer": lambda **kw: OfferForm(**kw),
    "package": lambda **kw: PackageForm(**kw),
    "workspace profile": lambda **kw: WorkspaceProfileForm(kind=WorkspaceKind.AGENCY, **kw),
    "booking edit": lambda **kw: BookingEditForm(editable={"currency"}, **kw),
}


@pytest.mark.parametrize("name", FORMS)
def test_the_currency_is_a_searchable_choice_starting_at_the_given_currency(name):
    form = FORMS[name](initial={"currency": "GBP"})
    field = form.fields["currency"]
    assert isinstance(field, CurrencyField)
    html = str(form["currency"])
    assert html.startswith("<select") and "data-searchable" in html
    assert '<option value="GBP" selected>GBP</option>' in html
    assert ("EUR", "EUR") in field.choices and ("USD", "USD") in field.choices


def test_a_code_that_is_not_a_currency_is_refused_clearly_and_lower_case_is_understood():
    field = CurrencyField()
    assert field.clean("gbp") == "GBP"
    with pytest.raises(Exception, match="Choose a currency from the list"):
        field.clean("XYZ")


def test_a_code_no_longer_listed_that_a_record_holds_still_shows():
    html = str(InquiryForm(initial={"currency": "HRK"})["currency"])
    assert '<option value="HRK" selected>HRK</option>' in html


def test_the_new_inquiry_page_starts_at_the_workspace_currency(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    workspace.currency = "CHF"
    workspace.save(update_fields=["currency"])
    page = login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/bookings/new/").content.decode()
    assert '<option value="CHF" selected>CHF</option>' in page


def test_a_workspace_profile_with_an_unknown_currency_is_refused_and_nothing_changes(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    before = workspace.currency
    response = login_client(people[Role.OWNER]).post(f"/w/{workspace.slug}/profile/", {
        "name": "Silver Lining", "time_zone": workspace.time_zone or "Europe/Berlin", "currency": "XYZ"})
    assert "Choose a currency from the list" in response.content.decode()
    workspace.refresh_from_db()
    assert workspace.currency == before
