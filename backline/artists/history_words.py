"""How the workspace History page words the artists app's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .epk_models import Visibility
from .models import ActMember, ActType


def register() -> None:
    history.register_actions({
        "act.created": "{actor} set up the act {object}",
        "act.updated": "{actor} edited the act profile of {object}",
        "act_member.added": "{actor} added {object} to the line-up",
        "act_member.linked": "{actor} linked {object} to their account",
        "act_member.updated": "{actor} edited the line-up entry of {object}",
        "act_member.removed": "{actor} removed {object} from the line-up",
        "performer.created": "{actor} added the performer {object}",
        "performer.updated": "{actor} edited the performer {object}",
        "performer.linked": "{actor} linked the performer {object} to an account",
        "performer.unlinked": "{actor} unlinked the performer {object} from their account",
        "representation.requested": "{actor} asked that {object}",
        "representation.accepted": "{actor} agreed that {object}",
        "representation.declined": "{actor} declined that {object}",
        "representation.ended": "{actor} ended the arrangement: {object}",
        "press_kit.updated": "{actor} edited {object}",
        "act.vouched": "{actor} vouched for {object}",
        "act.vouch_withdrawn": "{actor} withdrew their vouch for {object}",
        "act.verified": "{actor} verified {object} for Backline",
        "act.verification_revoked": "{actor} withdrew Backline's verification of {object}",
        "rider.drafted": "{actor} started a new draft: {object}",
        "rider.edited": "{actor} edited the draft {object}",
        "rider.published": "{actor} put in force the {object}",
        "rider.discarded": "{actor} threw away the draft {object}",
    })
    history.register_fields({"booking": "Show", "note": "Note", "reason": "Reason"})
    history.register_fields({"act_type": "Type of act", "genres": "Genres", "formed_year": "Formed in",
                             "instruments": "Instruments", "is_optional": "Occasional player",
                             "skills": "Skills", "is_active": "Active", "participants": "Who takes part",
                             "short_bio": "Short bio", "long_bio": "Long bio", "visibility": "Who can see it",
                             "hero": "Main photo", "achievements": "Achievements",
                             "show_upcoming_shows": "Shows upcoming shows", "booking_name": "Booking contact",
                             "booking_email": "Booking email", "booking_phone": "Booking phone",
                             "fee_min": "Lowest fee", "fee_max": "Highest fee", "fee_currency": "Fee currency"})
    history.register_values("act_type", dict(ActType.choices))
    history.register_values("visibility", dict(Visibility.choices))
    history.register_reference("act member", ActMember, fields=("participants",))
