# ruff: noqa: F811  (the shared fixtures are imported from fixtures.py and named as arguments)
"""Merge fields: every field's value from a real booking, act and contact; unknown fields (and any template
syntax: tags, filters, attributes) refused when a template is saved and when an email is sent; a field
with no value refused at send and marked in the preview; values that try to become Markdown links or
HTML stay text."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.epk import press_kit_save, recipient_from_token
from backline.core.errors import Invalid
from backline.core.markdown import render_markdown
from backline.core.timeutil import zone
from backline.mail.models import OutboundEmail
from backline.mail.services import senders
from backline.outreach import merge_fields
from backline.outreach.services import email_templates, sending
from backline.scheduling.services.share_links import share_link_create

from .fixtures import booking, contact, fire, hall, owls, to  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

EVERY_FIELD = "\n".join(f"{f.name}=[{{{{ {f.name} }}}}]" for f in merge_fields.FIELDS)


def values_of(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines())


def test_every_field_is_filled_from_the_booking_act_venue_and_contact(hall, owls, booking):
    """The act writes to the venue's buyer about the booking: all sixteen fields have a value."""
    act_ws, band = owls
    owner = band[Role.OWNER]
    share_link_create(actor=owner, workspace_id=act_ws.pk, starts_on=timezone.localdate(),
                      ends_on=timezone.localdate() + dt.timedelta(days=60))
    press_kit_save(actor=owner, workspace_id=act_ws.pk, fields={"visibility": "public"})
    mara = contact(act_ws, owner, "Mara Berg", "mara@hall.example", "Lantern Hall GmbH")
    source = merge_fields.MergeSource(workspace=act_ws, sender=owner, booking=booking)
    values = source.for_recipient(contact=mara)
    got = values_of(merge_fields.render_body(EVERY_FIELD, values))
    day = booking.starts_at.astimezone(zone(booking.time_zone)).date()
    assert got["act"] == "[The Owls]" and got["act_genres"] == "[indie rock, shoegaze]" and got["act_city"] == "[Berlin]"
    assert got["venue"] == "[Lantern Hall]" and got["venue_city"] == "[Berlin]"
    assert got["date"] == f"[{day:%A} {day.day} {day:%B %Y}]" == got["dates"]
    assert got["deal_summary"] == "[€800 vs 70% of net, 50% deposit]"
    assert got["contact_name"] == "[Mara Berg]" and got["contact_first_name"] == "[Mara]"
    assert got["organisation"] == "[Lantern Hall GmbH]"
    assert got["sender_name"] == f"[{owner.display_name}]" and got["workspace"] == "[The Owls]"
    assert got["booking_reference"] == f"[{booking.reference}]"
    assert got["epk_link"].startswith(f"[<http://testserver/a/{act_ws.slug}/?r=") or \
        got["epk_link"].startswith(f"[<{settings.SITE_URL}/a/{act_ws.slug}/?r=")
    token = unquote(got["epk_link"].split("?r=", 1)[1].rstrip(">]"))
    assert recipient_from_token(token, act_workspace_id=act_ws.pk) == {"w": act_ws.pk, "c": mara.pk,
                                                                       "n": "Lantern Hall GmbH"}
    listed = got["green_zone_dates"].strip("[]").split(", ")
    assert len(listed) == 5  # free every evening: the next five, "Fri 4 Dec" style
    first = dt.datetime.strptime(listed[0] + f" {timezone.localdate().year}", "%a %d %b %Y")
    assert listed[0] == f"{first:%a} {first.day} {first:%b}"
    assert not values.missing_in(EVERY_FIELD)


def test_a_date_range_reads_as_people_write_it(hall):
    workspace, people = hall
    from backline.bookings import services as bookings

    b = bookings.inquiry_create(actor=people[Role.OWNER], workspace_id=workspace.pk, title="Spring weekend",
                                date_from=dt.date(2027, 4, 30), date_to=dt.date(2027, 5, 2))
    values = merge_fields.MergeSource(workspace=workspace, booking=b).for_recipient(name="Ana")
    assert values.values["dates"] == "Friday 30 April – Sunday 2 May 2027"
    assert "date range" in values.missing_in("{{ date }}")["date"]
    assert merge_fields.date_range(dt.date(2026, 12, 4), dt.date(2026, 12, 6)) == "Friday 4 – Sunday 6 December 2026"
    assert merge_fields.date_range(dt.date(2026, 12, 30), dt.date(2027, 1, 2)) == \
        "Wednesday 30 December 2026 – Saturday 2 January 2027"


def test_without_a_booking_the_booking_fields_have_no_value_and_say_why(hall):
    workspace, people = hall
    values = merge_fields.MergeSource(workspace=workspace, sender=people[Role.OWNER]).for_recipient(name="")
    missing = values.missing_in("{{ date }} {{ deal_summary }} {{ act }} {{ contact_name }} {{ venue }}")
    assert missing["date"] == "this email is not about a booking"
    assert missing["deal_summary"] == "this email is not about a booking"
    assert "no act" in missing["act"]
    assert "no name" in missing["contact_name"]
    assert "venue" not in missing  # a venue workspace's own venue


def test_green_zone_and_public_link_are_the_acts_own_to_share(hall, owls, booking):
    """The venue writing about the booking may not put the act's free dates or its secret link in an email."""
    workspace, people = hall
    values = merge_fields.MergeSource(workspace=workspace, booking=booking).for_recipient(name="Mara")
    missing = values.missing_in("{{ green_zone_dates }} {{ epk_link }}")
    assert missing == {"green_zone_dates": "only The Owls can share its own green-zone dates",
                       "epk_link": "only The Owls can share its own press kit"}


def test_an_act_without_a_published_press_kit_is_warned_in_the_preview(owls):
    act_ws, band = owls
    composition = sending.outreach_prepare(actor=band[Role.OWNER], workspace_id=act_ws.pk, recipients=to("a@b.example"),
                                            subject="Hi", body="Our page: {{ epk_link }}")
    assert composition.outgoing[0].missing["epk_link"].startswith("the press kit of The Owls is not published yet")
    assert any("epk_link" in w for w in composition.warnings)
    html = merge_fields.preview_html(composition.body, composition.outgoing[0].values)
    assert '<mark class="merge-missing"' in html and "{{ epk_link }}</mark>" in html


@pytest.mark.parametrize("text,unknown", [
    ("Hi {{ actt }}", "actt"),
    ("{% load static %}{{ act }}", "{% load static %}"),
    ("{{ x.__class__ }}", "x.__class__"),
    ("{{ act.workspace.owner }}", "act.workspace.owner"),
    ("{{ act|upper }}", "act|upper"),
    ("{{ settings.SECRET_KEY }}", "settings.SECRET_KEY"),
    ("{# a comment #}", "{# a comment #}"),
    ("Hello {{ act", "an unclosed “{{” or “{%”"),
    ("{{}}", "(empty)"),
])
def test_anything_but_a_known_field_is_an_unknown_field(text, unknown):
    assert unknown in merge_fields.unknown_in(text)
    with pytest.raises(Invalid) as refused:
        merge_fields.check_known(body=text)
    assert refused.value.code == "unknown_merge_field"
    message = refused.value.errors["body"][0]
    assert unknown in message and "act, act_genres, act_city" in message  # names the known ones too


def test_unknown_fields_are_refused_when_a_template_is_saved(hall):
    workspace, people = hall
    with pytest.raises(Invalid) as refused:
        email_templates.template_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Bad",
                                 subject="{{ act.__class__ }}", body="{% load static %} {{ venu }}")
    assert set(refused.value.errors) == {"subject", "body"}
    assert "venu" in refused.value.errors["body"][0] and "{% load static %}" in refused.value.errors["body"][0]
    assert not workspace.email_templates.filter(name="Bad").exists()


@pytest.mark.parametrize("fields,field,fragment", [
    ({"name": "Pi\x00tch"}, "name", "control characters"),
    ({"subject": "Hello\x00"}, "subject", "control characters"),
    ({"body": "Hi {{ contact_first_name }}\x00"}, "body", "NUL character"),
    ({"body": "Hi\x1b[2J there"}, "body", "U+001B"),
])
def test_control_characters_are_refused_when_a_template_is_saved(hall, fields, field, fragment):
    # PostgreSQL cannot store NUL (it used to be a 500 there); tabs and line breaks stay allowed.
    workspace, people = hall
    args = {"name": "Pitch", "subject": "Hello", "body": "Hi\n\tthere"} | fields
    with pytest.raises(Invalid) as refused:
        email_templates.template_create(actor=people[Role.OWNER], workspace_id=workspace.pk, **args)
    assert list(refused.value.errors) == [field] and fragment in refused.value.errors[field][0]
    assert not workspace.email_templates.filter(name__startswith="Pi").exists()
    template = email_templates.template_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Pitch",
                                        subject="Hello", body="Hi\r\n\tthere")
    assert template.body == "Hi\r\n\tthere"
    with pytest.raises(Invalid) as refused:
        email_templates.template_update(actor=people[Role.OWNER], template_id=template.pk, **fields)
    assert list(refused.value.errors) == [field]


def test_control_characters_are_refused_at_send_and_in_the_signature(hall, fire):
    workspace, people = hall
    with fire(), pytest.raises(Invalid) as refused:
        sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk, recipients=to("a@b.example"),
                               subject="Hello", body="We\x00 play")
    assert list(refused.value.errors) == ["body"] and "NUL" in refused.value.errors["body"][0]
    assert not OutboundEmail.objects.exists()
    with pytest.raises(Invalid) as refused:
        senders.sender_identity_set(actor=people[Role.OWNER], workspace_id=workspace.pk, from_name="Hall",
                                     from_email="hall@example.org", signature="Cheers\x00")
    assert list(refused.value.errors) == ["signature"]


def test_unknown_fields_are_refused_at_send_and_nothing_is_sent(hall, fire):
    workspace, people = hall
    with fire(), pytest.raises(Invalid) as refused:
        sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk, recipients=to("a@b.example"),
                               subject="Hello", body="{{ x.__class__.__mro__ }}")
    assert refused.value.code == "unknown_merge_field"
    assert not OutboundEmail.objects.exists()


def test_a_field_with_no_value_is_refused_at_send_naming_it(hall, fire):
    workspace, people = hall
    with fire(), pytest.raises(Invalid) as refused:
        sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk, recipients=to("a@b.example"),
                               subject="About {{ date }}", body="Hi {{ contact_first_name }}")
    assert refused.value.code == "merge_field_missing"
    assert "{{ date }} has no value for a@b.example: this email is not about a booking." in refused.value.errors["subject"]
    assert any("contact_first_name" in m for m in refused.value.errors["body"])
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("name", [
    "[click me](https://evil.example)",
    "<script>alert(1)</script>",
    "<https://evil.example>",
    "![x](https://evil.example/pixel.png)",
    "`code` **bold** _em_",
    "Ana\n\n# Heading\n- list\n<b>x</b>",
    "<a href='https://evil.example'>Ana</a>",
    "{{ workspace }} {% load static %}",
])
def test_values_cannot_inject_links_or_html(hall, name):
    """A contact's name goes through the real renderer as text: no link, no tag, no image, no block."""
    workspace, people = hall
    c = contact(workspace, people[Role.OWNER], name, "evil@example.org")
    values = merge_fields.MergeSource(workspace=workspace).for_recipient(contact=c)
    once = merge_fields.render_body("{{ contact_name }}\nHi {{ contact_name }}!", values)
    values.values["workspace"] = "Lantern Hall"
    html = render_markdown(merge_fields.render_body(once, values))  # a follow-up draft is merged again at send
    assert "<a " not in html and "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<h1" not in html and "<li" not in html and "<code" not in html and "<strong" not in html
    assert "Lantern Hall" not in html  # a value never becomes a merge field itself
    shown = html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'")
    assert " ".join(name.split()) in shown  # the value reads as typed (on one line)


def test_values_in_the_subject_are_one_line_and_plain():
    values = merge_fields.Values(values={"contact_name": "Ana\r\nBcc: all@victim.example\x00", "act": "*The Owls*"})
    assert merge_fields.render_subject("{{contact_name}} / {{ act }}", values) == \
        "Ana Bcc: all@victim.example / *The Owls*"


def test_our_own_link_stays_a_link():
    values = merge_fields.Values(values={"epk_link": "https://backline.example/availability/ab_c-d/"})
    html = render_markdown(merge_fields.render_body("See {{ epk_link }}", values))
    assert '<a href="https://backline.example/availability/ab_c-d/"' in html


def test_an_agency_sees_its_clients_company_as_the_organisation(make_team):
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    from backline.bookings import services
    from backline.bookings.agency import services as agency_services

    client = agency_services.client_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Jo Byrne",
                                           company="Byrne & Co")
    b = services.inquiry_create(actor=people[Role.OWNER], workspace_id=workspace.pk, title="Wedding",
                                client_id=client.pk, date_from=dt.date(2027, 6, 12))
    values = merge_fields.MergeSource(workspace=workspace, booking=b).for_recipient(name="Jo Byrne")
    assert values.values["organisation"] == "Byrne & Co" and values.values["date"] == "Saturday 12 June 2027"
