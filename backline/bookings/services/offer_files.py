"""Files from the sender's media library sent with an offer (a tech pack, a stage plot, a contract
annex). Only the sending workspace's own documents and photos can be attached; both sides of the
booking download them; anyone else gets a 404, as for a missing file."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.text import slugify

from backline.core.errors import Invalid, NotFound
from backline.media.models import Asset, AssetKind
from backline.media.selectors import assets_for

from ..models import Booking, Side

ATTACHABLE_KINDS = (AssetKind.DOCUMENT, AssetKind.PHOTO)
ATTACHMENTS_MAX = 10


def attachable_assets(workspace_id: int) -> QuerySet[Asset]:
    """What a workspace may send with an offer: its library's documents and photos, newest first."""
    return assets_for(workspace_id).filter(kind__in=ATTACHABLE_KINDS)


def sender_workspace_id(booking: Booking, side: str) -> int:
    """The workspace whose library an offer from ``side`` draws on (the buyer's, or the act's)."""
    return booking.workspace_id if side == Side.BUYER else booking.act.workspace_id


def checked_attachments(*, workspace_id: int, asset_ids) -> list[Asset]:
    """The assets named, all of them the sender's own documents or photos; anything else is refused
    whole (422 on ``attachment_ids``), so no offer goes out with a file left off silently."""
    ids = list(dict.fromkeys(int(i) for i in asset_ids or ()))
    if len(ids) > ATTACHMENTS_MAX:
        raise Invalid("Too many files.", errors={"attachment_ids": [f"Attach at most {ATTACHMENTS_MAX} files."]})
    found = {a.pk: a for a in attachable_assets(workspace_id).filter(pk__in=ids)}
    if len(found) != len(ids):
        raise Invalid("Attach files from your own media library.", errors={
            "attachment_ids": ["Choose documents or photos from your own media library."]})
    return [found[i] for i in ids]


def offer_file(booking: Booking, asset_id: int) -> Asset:
    """A file sent with one of this booking's offers (the caller has checked access to the booking)."""
    asset = Asset.objects.filter(pk=asset_id, offers__booking=booking).first()
    if asset is None:
        raise NotFound("No such file on this booking.")
    return asset


def download_name(asset: Asset) -> str:
    """The file's name for the download: its title as a slug ("lantern-hall-the-stage"), with the stored
    file's extension."""
    ext = slugify(asset.file.name.rsplit(".", 1)[-1]) if "." in asset.file.name else ""
    stem = slugify(asset.title or asset.get_kind_display(), allow_unicode=True)[:100].strip("-_")
    return f"{stem or 'file'}.{ext or 'bin'}"
