"""How the workspace History page words the venues app's audit entries (see ``backline.core.history``)."""

from backline.core import history


def register() -> None:
    history.register_actions({
        "venue.created": "{actor} added the venue {object}",
        "venue.updated": "{actor} edited the venue {object}",
        "stage.added": "{actor} added the stage {object}",
        "stage.removed": "{actor} removed the stage {object}",
    })
    history.register_fields({"postal_code": "Postcode", "capacity": "Capacity", "address": "Address",
                             "description": "Description"})
