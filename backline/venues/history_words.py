"""How the workspace History page words the venues app's audit entries (see ``backline.core.history``)."""

from backline.core import history


def register() -> None:
    history.register_actions({
        "venue.created": "{actor} added the venue {object}",
        "venue.updated": "{actor} edited the venue {object}",
        "stage.added": "{actor} added the stage {object}",
        "stage.removed": "{actor} removed the stage {object}",
        "stage.spec_updated": "{actor} edited the tech spec of the stage {object}",
        "stage.photos_set": "{actor} changed the photos of the stage {object}",
        "stage.documents_set": "{actor} changed the tech pack of the stage {object}",
        "venue.verification_requested": "{actor} asked Backline to verify {object}",
        "venue.verified": "{actor} verified {object} for Backline",
        "venue.verification_rejected": "{actor} did not approve the verification of {object}",
        "venue.verification_revoked": "{actor} withdrew Backline's verification of {object}",
        "venue.vouched": "{actor} vouched for {object}",
        "venue.vouch_withdrawn": "{actor} withdrew their vouch for {object}",
    })
    history.register_fields({"business_registration": "Business registration", "documents": "Documents",
                             "reason": "Reason"})
    history.register_fields({"postal_code": "Postcode", "capacity": "Capacity", "address": "Address",
                             "description": "Description",
                             "slug": "Public address", "visibility": "Who sees the public page", "genres": "Genres booked",
                             "width_m": "Stage width (m)", "depth_m": "Stage depth (m)", "height_m": "Clear height (m)",
                             "pa_make": "PA", "pa_power_w": "PA power (W)", "console": "Mixing desk", "inputs": "Inputs",
                             "monitor_mixes": "Monitor mixes", "backline_available": "Backline",
                             "backline_notes": "Backline notes", "power_outlets": "Power outlets",
                             "three_phase": "Three-phase power", "lighting": "Lighting",
                             "load_in_distance_m": "Load-in distance (m)", "load_in_steps": "Steps on the way in",
                             "load_in_lift": "Goods lift", "load_in_notes": "Load-in notes", "curfew": "Curfew",
                             "capacity_standing": "Standing capacity", "capacity_seated": "Seated capacity",
                             "step_free": "Step-free access", "accessible_toilet": "Accessible toilet",
                             "hearing_loop": "Hearing loop", "accessibility_notes": "Accessibility notes",
                             "files": "Files"})
    history.register_values("visibility", {"public": "Public", "unlisted": "Unlisted", "private": "Private"})
