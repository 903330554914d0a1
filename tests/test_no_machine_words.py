"""No page a person can reach from the navigation shows machine words: a raw RRULE (``FREQ=``), an ISO
timestamp (``2027-07-07T18:00``) or an audit action code (``outbound_email.follow_up_drafted``).

On the demo world (``manage.py demo``, the data people try Backline on), each demo login (every role of
every kind of workspace, and the agency's performer) opens every page of its workspace's navigation
(``accounts.ui.nav_for``) and the pages of its own: profile, my availability (and each pattern's edit
page), notifications and their settings, the inbox's conversations, a booking, the workspace history.
Only the text a person sees is checked: tags, attributes (an input's ``value`` may hold an ISO date for
the browser), scripts, styles and the contents of form fields (a textarea's text is its value; the raw
rule under "Advanced" is one) are removed first.
"""

from __future__ import annotations

import html
import importlib
import re
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from backline.accounts.models import Membership, User
from backline.accounts.permissions import access_workspace
from backline.accounts.ui import nav_for
from backline.bookings.models import Booking
from backline.conversations.selectors import threads_for_workspace
from backline.core import history
from backline.demo.world import DEMO_LOGINS
from backline.scheduling.forms import RuleForm
from backline.scheduling.models import AvailabilityRule

pytestmark = pytest.mark.django_db(transaction=True)  # the demo's receivers run on commit, as in `manage.py demo`

RRULE = re.compile(r"\b(?:FREQ|BYDAY|RRULE|EXDATE)[=:]")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_INVISIBLE = re.compile(r"<(script|style|textarea|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)


def visible_text(page: str) -> str:
    """What a person reads on the page: no markup, attributes, scripts or form field contents."""
    text = _TAG.sub(" ", _INVISIBLE.sub(" ", page))
    return " ".join(html.unescape(text).split())


def machine_words(text: str, codes: set[str]) -> list[str]:
    found = [m.group() for m in RRULE.finditer(text)] + [m.group() for m in ISO_TIMESTAMP.finditer(text)]
    words = set(re.findall(r"[a-z_]+\.[a-z_]+", text))
    return found + sorted(words & codes)


def test_visible_text_drops_markup_attributes_and_field_values():
    page = ('<p title="FREQ=DAILY">Every day</p><input value="2027-07-07T18:00"><textarea>FREQ=WEEKLY</textarea>'
            '<script>var x = "booking.confirmed";</script><b>Mara</b> &amp; co')
    assert visible_text(page) == "Every day Mara & co"
    assert machine_words("Sent 2027-07-07T18:00 FREQ=DAILY booking.confirmed www.example.org", {"booking.confirmed"}) \
        == ["FREQ=", "2027-07-07T18:00", "booking.confirmed"]


def _demo():
    # the genres the migrations load, which a flush by an earlier transactional test removes
    importlib.import_module("backline.artists.migrations.0002_genres").load(apps, None)
    call_command("demo", "--quiet")


def _pages_for(user) -> list[str]:
    pages = [reverse("profile"), reverse("availability"), reverse("notification_list"),
             reverse("notification_preferences")]
    pages += [reverse("availability_rule_edit", args=[pk])
              for pk in AvailabilityRule.objects.filter(user=user).values_list("pk", flat=True)]
    for rule in AvailabilityRule.objects.filter(user=user)[:1]:  # the builder's read-back of a pattern, as a page
        choices = {k: v.isoformat() if hasattr(v, "isoformat") else v
                   for k, v in RuleForm.initial_for(rule).items() if v not in (None, "")}
        pages.append(f"{reverse('availability_rule_summary')}?{urlencode(choices, doseq=True)}")
    for membership in Membership.objects.filter(user=user).select_related("workspace"):
        ws = membership.workspace
        access = access_workspace(user=user, workspace_id=ws.pk)
        pages += [reverse(item.url_name, args=[ws.slug]) for item in nav_for(access)]
        if access.can("messages.view"):
            threads = [t.pk for t in threads_for_workspace(user=user, workspace=ws)[:5]]  # those this person may read
            pages += [reverse("thread_detail", args=[ws.slug, pk]) for pk in threads]
        if access.can("bookings.view"):
            booking_ids = Booking.objects.filter(workspace=ws).values_list("pk", flat=True)[:3]
            if ws.kind == "act":
                booking_ids = Booking.objects.filter(act__workspace=ws).exclude(status__in=("inquiry", "lost")) \
                    .values_list("pk", flat=True)[:3]
            pages += [reverse("booking_detail", args=[ws.slug, pk]) for pk in booking_ids]
        if access.can("audit.view"):
            pages.append(reverse("workspace_history", args=[ws.slug]))
    return list(dict.fromkeys(pages))


def test_no_page_in_the_navigation_shows_machine_words(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    _demo()
    codes = history.action_codes()
    assert "outbound_email.follow_up_drafted" in codes and "booking.confirmed" in codes
    problems, visited = [], 0
    for email, _ in DEMO_LOGINS:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        for path in _pages_for(user):
            response = client.get(path)
            assert response.status_code == 200, (email, path, response.status_code)
            visited += 1
            found = machine_words(visible_text(response.content.decode()), codes)
            if found:
                problems.append(f"{email} {path}: {', '.join(sorted(set(found))[:5])}")
    assert visited > 200
    assert not problems, "machine words on pages:\n" + "\n".join(problems)
