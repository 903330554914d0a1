"""The riders in force, read for the advance and the day sheet: the essentials of what the act needs in a
few lines (technical and hospitality), and what the advance can take over from them where it says
nothing yet, each value naming the rider version it came from, so the venue does not retype it."""

from __future__ import annotations

from dataclasses import dataclass, field

from backline.artists.models import Rider, RiderKind
from backline.artists.rider_views import BACKLINE_WORDS


def _n(value: int, one: str, many: str) -> str:
    return f"{value} {one if value == 1 else many}"


def _with_note(value, note: str) -> str:
    return f"{value} ({note})" if note else f"{value}"


@dataclass
class RiderSummary:
    technical: Rider | None = None
    hospitality: Rider | None = None
    technical_lines: list[tuple[str, str]] = field(default_factory=list)
    hospitality_lines: list[tuple[str, str]] = field(default_factory=list)
    inputs: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.technical or self.hospitality)


def technical_lines(rider: Rider) -> list[tuple[str, str]]:
    """What a technical rider asks, in words; only what it states."""
    lines = []
    channels = len(rider.inputs.all())
    if channels:
        lines.append(("Inputs", _n(channels, "channel", "channels")))
    if rider.monitor_mixes:
        lines.append(("Monitor mixes", str(len(rider.monitor_mixes))))
    if rider.changeover_minutes is not None:
        lines.append(("Changeover", f"{rider.changeover_minutes} minutes"))
    if rider.power_outlets is not None or rider.three_phase:
        power = _n(rider.power_outlets, "outlet", "outlets") if rider.power_outlets is not None else "outlets not stated"
        lines.append(("Power", power + (", three-phase" if rider.three_phase else "")))
    if rider.backline_brings:
        lines.append(("Backline the act brings", ", ".join(BACKLINE_WORDS.get(v, v) for v in rider.backline_brings)))
    if rider.backline_needs:
        lines.append(("Backline the act needs", ", ".join(BACKLINE_WORDS.get(v, v) for v in rider.backline_needs)))
    if rider.stage_width_m and rider.stage_depth_m:
        lines.append(("Stage size needed", f"{rider.stage_width_m.normalize():f} × {rider.stage_depth_m.normalize():f} m"))
    return lines


def hospitality_lines(rider: Rider) -> list[tuple[str, str]]:
    """What a hospitality rider asks, in words; only what it states."""
    lines = []
    if rider.guest_list is not None:
        lines.append(("Guest list", _n(rider.guest_list, "place", "places")))
    if rider.meals is not None:
        lines.append(("Meals", _with_note(rider.meals, rider.meal_notes)))
    if rider.drinks:
        lines.append(("Drinks", rider.drinks))
    if rider.rooms is not None:
        lines.append(("Rooms", _with_note(rider.rooms, rider.room_type)))
    if rider.parking is not None:
        lines.append(("Parking", _n(rider.parking, "place", "places")))
    if rider.dressing_room:
        lines.append(("Dressing room", rider.dressing_room))
    return lines


def rider_summary(in_force: dict[str, Rider]) -> RiderSummary:
    technical, hospitality = in_force.get(RiderKind.TECHNICAL), in_force.get(RiderKind.HOSPITALITY)
    return RiderSummary(
        technical=technical, hospitality=hospitality,
        technical_lines=technical_lines(technical) if technical else [],
        hospitality_lines=hospitality_lines(hospitality) if hospitality else [],
        inputs=list(technical.inputs.all()) if technical else [])


def source_words(rider: Rider) -> str:
    return f"From the act's {rider.get_kind_display().lower()}, version {rider.version}."


def advance_prefill(summary: RiderSummary) -> dict[str, tuple[object, str]]:
    """Advance field -> (value, where it came from), for what the riders in force state."""
    out: dict[str, tuple[object, str]] = {}
    hosp, tech = summary.hospitality, summary.technical
    if hosp is not None:
        said = source_words(hosp)
        if hosp.guest_list is not None:
            out["guest_list"] = (f"{_n(hosp.guest_list, 'place', 'places')} on the guest list (names to follow)", said)
        if hosp.parking is not None:
            out["parking"] = (f"{_n(hosp.parking, 'parking place', 'parking places')} for the act", said)
        care = [f"{label}: {value}" for label, value in summary.hospitality_lines if label not in ("Guest list", "Parking")]
        if care:
            out["hospitality"] = ("\n".join(care), said)
    if tech is not None:
        said = source_words(tech)
        if tech.changeover_minutes is not None:
            out["changeover_minutes"] = (tech.changeover_minutes, said)
        gear = [f"{label}: {value}" for label, value in summary.technical_lines if label.startswith("Backline")]
        if gear:
            out["backline"] = ("\n".join(gear), said)
    return out


def prefill_empty(initial: dict, summary: RiderSummary) -> tuple[dict, dict[str, str]]:
    """``initial`` with the rider's values in the fields it leaves empty (a saved value is never replaced),
    and, by field, where each filled value came from."""
    filled, sources = dict(initial), {}
    for name, (value, said) in advance_prefill(summary).items():
        if filled.get(name) in (None, ""):
            filled[name], sources[name] = value, said
    return filled, sources
