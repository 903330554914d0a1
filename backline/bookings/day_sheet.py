"""What the day sheet prints besides the advance: the riders in force (technical essentials with the
input list, hospitality essentials), the stage-fit lines that do not fit, the stage plot, and the two
workspaces' newest logos from their media libraries. Images travel as ``data:`` URIs, the only
resource the PDF fetcher loads (``core.pdf``)."""

from __future__ import annotations

from backline.artists import riders
from backline.core.pdf import image_data_uri
from backline.core.stagefit import FITS, compare
from backline.media.models import AssetKind
from backline.media.selectors import assets_for

from .advance_riders import rider_summary
from .riders import known_stage_offer, riders_in_force


def _logo(workspace_id: int) -> str:
    logo = assets_for(workspace_id, AssetKind.LOGO).first()
    return image_data_uri(logo.thumb or logo.web or logo.file) if logo else ""


def day_sheet_extras(booking) -> dict:
    summary = rider_summary(riders_in_force(booking))
    technical = summary.technical
    offer = known_stage_offer(booking.room) if (technical and booking.room_id) else None
    misfits = [line for line in compare(riders.stage_needs(technical), offer) if line.verdict != FITS] if offer else []
    plot = technical.stage_plot if technical and technical.stage_plot_id else None
    plot_src = image_data_uri(plot.web or plot.file) if plot and plot.is_image else ""
    return {"riders": summary, "misfits": misfits, "stage": booking.room if booking.room_id else None,
            "stage_plot": plot, "stage_plot_src": plot_src,
            "buyer_logo": _logo(booking.workspace_id), "act_logo": _logo(booking.act.workspace_id) if booking.act_id else ""}
