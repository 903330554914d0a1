"""The demo contacts: built through the service, re-runnable without duplicating anything."""

import pytest

from backline.accounts.services import workspace_create
from backline.contacts.models import Contact
from backline.contacts.selectors import duplicate_groups
from backline.core.places import find_city
from backline.demo import contacts as demo_contacts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_books_fill_once_and_show_a_duplicate(django_capture_on_commit_callbacks):
    assert demo_contacts.build() == 0  # no demo world: nothing to fill
    owner = UserFactory(email=f"owner.promoter@{demo_contacts.DOMAIN}")
    agency_owner = UserFactory(email=f"owner.agency@{demo_contacts.DOMAIN}")
    city = find_city("London", "GB").geoname_id
    with django_capture_on_commit_callbacks(execute=True):
        promoter = workspace_create(actor=owner, kind="promoter", name="Night Shift Promotions", geoname_id=city)
        agency = workspace_create(actor=agency_owner, kind="agency", name="Silver Lining Entertainment", geoname_id=city)
    added = demo_contacts.build()
    assert added == 30
    assert Contact.objects.filter(workspace=promoter).count() == 15 and Contact.objects.filter(workspace=agency).count() == 15
    assert Contact.objects.filter(workspace=agency, email="").count() == 1
    assert demo_contacts.build() == 0
    rows = demo_contacts.BOOKS[("Lantern Hall", f"owner.venue@{demo_contacts.DOMAIN}")]
    assert sum(1 for r in rows if r[0] == "Jonas Fischer") == 2  # the venue's deliberate duplicate
    assert duplicate_groups(promoter.pk) == []
