"""How the workspace History page words the media library's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import AssetKind


def register() -> None:
    history.register_actions({
        "asset.uploaded": "{actor} uploaded {object} to the media library",
        "asset.updated": "{actor} edited {object} in the media library",
        "asset.deleted": "{actor} deleted {object} from the media library",
    })
    history.register_fields({"credit": "Credit", "in_press_pack": "In the press pack", "title": "Title"})
    history.register_values("kind", dict(AssetKind.choices))
