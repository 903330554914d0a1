# ruff: noqa: E501  (each paragraph of an email is one line: a line break in Markdown with nl2br is a break in the email)
"""The outreach templates a workspace starts with (``services.email_templates.templates_seed``): first pitch, follow-up,
hold confirmation, offer and thank-you, written for who the workspace is. An act pitches buyers with
its free evenings and public page; a venue or promoter asks an act's team for a date and makes offers;
an agency answers a client's event and sends quotes. Short and concrete, as bookers write them."""

from __future__ import annotations

from dataclasses import dataclass

from .models import TemplateKind


@dataclass(frozen=True)
class Default:
    kind: str
    name: str
    subject: str
    body: str


FIRST_PITCH_FOLLOW_UP_DAYS = 5  # no reply after this many days: the sender is reminded with the follow-up

ACT = (
    Default(TemplateKind.FIRST_PITCH, "First pitch", "Booking inquiry: {{ act }} ({{ act_genres }}, {{ act_city }})",
            """Hi {{ contact_first_name }},

I look after bookings for {{ act }} ({{ act_genres }}, from {{ act_city }}). We're planning our next run of shows and would love to play for you.

These evenings are open for us right now:
{{ green_zone_dates }}

Music, photos and our live calendar: {{ epk_link }}

If one of them works, I can hold it for you while you check. What does your calendar look like?

Best,
{{ sender_name }}
{{ act }}"""),
    Default(TemplateKind.FOLLOW_UP, "Follow-up", "Re: {{ act }}, open dates",
            """Hi {{ contact_first_name }},

Bumping this back up your inbox. {{ act }} still have these evenings open:
{{ green_zone_dates }}

Happy to work around your calendar, and to send anything else you need: {{ epk_link }}

Thanks,
{{ sender_name }}"""),
    Default(TemplateKind.HOLD_CONFIRMATION, "Hold confirmation", "Hold confirmed: {{ act }} at {{ venue }}, {{ date }}",
            """Hi {{ contact_first_name }},

Thanks for the hold. To confirm: {{ act }} at {{ venue }} on {{ date }} (ref. {{ booking_reference }}).

We'll keep the date for you. Send the offer when you're ready, and tell us straight away if anything moves.

Best,
{{ sender_name }}"""),
    Default(TemplateKind.OFFER, "Offer", "{{ act }} at {{ venue }}, {{ date }}: our terms",
            """Hi {{ contact_first_name }},

Here's what we need for {{ act }} at {{ venue }} on {{ date }} (ref. {{ booking_reference }}):

{{ deal_summary }}

Tech and hospitality riders follow once we confirm. If this works for you, reply and we'll lock the date in; if not, tell me what would.

Best,
{{ sender_name }}"""),
    Default(TemplateKind.THANK_YOU, "Thank-you", "Thank you, {{ venue }}!",
            """Hi {{ contact_first_name }},

Thanks for having {{ act }} at {{ venue }} on {{ date }}. Great room, great crew, and we'd love to come back.

Let's talk about the next one when you're planning the season.

All the best,
{{ sender_name }}"""),
)

BUYER = (  # a venue or a promoter, writing to an act's agent or manager
    Default(TemplateKind.FIRST_PITCH, "First pitch", "Inquiry: {{ act }} at {{ venue }}, {{ dates }}",
            """Hi {{ contact_first_name }},

I'm {{ sender_name }} at {{ workspace }}. We'd love to have {{ act }} play {{ venue }} in {{ venue_city }} on {{ dates }}.

Is the date open? If so, tell me what you'd need and I'll put a hold on it and follow with a firm offer.

Best,
{{ sender_name }}
{{ workspace }}"""),
    Default(TemplateKind.FOLLOW_UP, "Follow-up", "Re: {{ act }} at {{ venue }}",
            """Hi {{ contact_first_name }},

Following up on {{ act }} at {{ venue }} for {{ dates }}. We're building the calendar and I'd rather not give the date to someone else.

Is it still open? A quick yes or no helps either way.

Thanks,
{{ sender_name }}"""),
    Default(TemplateKind.HOLD_CONFIRMATION, "Hold confirmation", "Hold placed: {{ act }} at {{ venue }}, {{ date }}",
            """Hi {{ contact_first_name }},

We've put a hold on {{ date }} at {{ venue }} for {{ act }} (ref. {{ booking_reference }}).

A firm offer follows shortly. If another buyer asks about the date in the meantime, please come to us first.

Best,
{{ sender_name }}"""),
    Default(TemplateKind.OFFER, "Offer", "Offer: {{ act }} at {{ venue }}, {{ date }}",
            """Hi {{ contact_first_name }},

Here's our offer for {{ act }} at {{ venue }}, {{ venue_city }} on {{ date }} (ref. {{ booking_reference }}):

{{ deal_summary }}

Load-in, set times and hospitality follow with the contract. Let me know if this works, or what would.

Best,
{{ sender_name }}
{{ workspace }}"""),
    Default(TemplateKind.THANK_YOU, "Thank-you", "Thanks for {{ date }}",
            """Hi {{ contact_first_name }},

Thank you for bringing {{ act }} to {{ venue }} on {{ date }}. The room loved it, and so did we.

We'd like to have them back: let's find the next date.

Best,
{{ sender_name }}"""),
)

AGENCY = (  # an agency, writing to a client about their event
    Default(TemplateKind.FIRST_PITCH, "First pitch", "Live music for your event on {{ dates }}",
            """Hi {{ contact_first_name }},

Thanks for thinking of {{ workspace }} for {{ dates }}. We put together live music for weddings, parties and company events, from a solo pianist to a full band.

Tell me a little about the day (the venue, how many guests, the mood you're after) and I'll send you a couple of options with prices.

Best,
{{ sender_name }}
{{ workspace }}"""),
    Default(TemplateKind.FOLLOW_UP, "Follow-up", "Re: live music on {{ dates }}",
            """Hi {{ contact_first_name }},

Checking in about {{ dates }}. Our performers' diaries fill up quickly, and I'd like to make sure you get the line-up you want.

If you have questions about the options, I'm happy to talk them through on a call.

Best,
{{ sender_name }}"""),
    Default(TemplateKind.HOLD_CONFIRMATION, "Hold confirmation", "We're holding {{ date }} for you",
            """Hi {{ contact_first_name }},

Good news: we're holding {{ date }} for you (ref. {{ booking_reference }}).

The hold keeps the performers free while you decide. Once you're happy with the quote, we'll confirm and send the contract and deposit details.

Best,
{{ sender_name }}"""),
    Default(TemplateKind.OFFER, "Offer", "Your quote for {{ dates }}",
            """Hi {{ contact_first_name }},

Here's your quote for {{ dates }} (ref. {{ booking_reference }}):

{{ deal_summary }}

To go ahead, reply to this email and we'll send the contract and the deposit invoice. Everything we agree is written into the contract.

Best,
{{ sender_name }}
{{ workspace }}"""),
    Default(TemplateKind.THANK_YOU, "Thank-you", "Thank you for {{ date }}",
            """Hi {{ contact_first_name }},

Thank you for having our performers on {{ date }}. We hope you and your guests had a wonderful time.

If you have a moment, a few words about the day mean a lot to the musicians. And if there's another celebration coming up, we'd love to be part of it.

Warm regards,
{{ sender_name }}"""),
)


def defaults_for(kind: str) -> tuple[Default, ...]:
    """The set for a workspace kind: act, agency, or a buyer's (venue, promoter)."""
    return {"act": ACT, "agency": AGENCY}.get(kind, BUYER)
