"""How the workspace History page words the venues app's audit entries (see ``backline.core.history``)."""

from backline.core import history


def register() -> None:
    history.register_actions({
        "venue.created": "{actor} added the venue {object}",
        "venue.updated": "{actor} edited the venue {object}",
        "stage.added": "{actor} added the stage {object}",
        "stage.removed": "{actor} removed the stage {object}",
        "venue.verification_requested": "{actor} asked Backline to verify {object}",
        "venue.verified": "{actor} verified {object} for Backline",
        "venue.verification_rejected": "{actor} did not approve the verification of {object}",
        "venue.vouched": "{actor} vouched for {object}",
        "venue.vouch_withdrawn": "{actor} withdrew their vouch for {object}",
    })
    history.register_fields({"business_registration": "Business registration", "documents": "Documents",
                             "reason": "Reason"})
    history.register_fields({"postal_code": "Postcode", "capacity": "Capacity", "address": "Address",
                             "description": "Description"})
