"""A stage's tech spec as plain data (``stage_offer``, for the rider ↔ spec match in core.stagefit) and
in words for people ("6 × 4 m stage, 4 monitor mixes, 16 inputs on an Allen & Heath SQ-5")."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import time_format

from backline.core.stagefit import BacklineItem, StageOffer

from .models import Stage

BACKLINE_WORDS = dict(BacklineItem.choices)


def stage_offer(stage: Stage) -> StageOffer:
    """What the stage offers; None wherever the venue has not said."""
    return StageOffer(inputs=stage.inputs, monitor_mixes=stage.monitor_mixes, width_m=stage.width_m,
                      depth_m=stage.depth_m,
                      backline_available=frozenset(v for v in stage.backline_available or () if v in BACKLINE_WORDS),
                      power_outlets=stage.power_outlets, three_phase=stage.three_phase)


def metres(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def stage_headline(stage: Stage) -> str:
    """One line: size, monitor mixes, inputs and desk ("" when none of them is stated)."""
    parts = []
    if stage.width_m is not None and stage.depth_m is not None:
        parts.append(f"{metres(stage.width_m)} × {metres(stage.depth_m)} m stage")
    if stage.height_m is not None:
        parts.append(f"{metres(stage.height_m)} m clear height")
    if stage.monitor_mixes is not None:
        parts.append(_plural(stage.monitor_mixes, "monitor mix", "monitor mixes") if stage.monitor_mixes
                     else "no monitor mixes")
    if stage.inputs is not None:
        parts.append(_plural(stage.inputs, "input", "inputs") + (f" on {_article(stage.console)}" if stage.console else ""))
    elif stage.console:
        parts.append(f"mixing desk: {stage.console}")
    return ", ".join(parts)


def _article(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeio" else f"a {name}"


def _lower_first(words: str) -> str:
    return words if words[:2].isupper() else words[:1].lower() + words[1:]  # "DI boxes" stays


def _yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else yes if value else no


def stage_words(stage: Stage) -> list[tuple[str, str]]:
    """The whole spec as (topic, sentence) pairs, only what is stated, in the order a tech reads it. The
    first, "Stage", is the headline (pages showing the headline above leave it out)."""
    lines: list[tuple[str, str]] = []
    if headline := stage_headline(stage):
        lines.append(("Stage", headline[0].upper() + headline[1:] + "."))
    if stage.pa_make or stage.pa_power_w:
        power = f"{stage.pa_power_w:,} W".replace(",", " ") if stage.pa_power_w else ""
        lines.append(("PA", " · ".join(p for p in (stage.pa_make, power) if p) + "."))
    if stage.backline_available:
        items = [_lower_first(BACKLINE_WORDS[v]) for v in stage.backline_available if v in BACKLINE_WORDS]
        notes = f" {stage.backline_notes}" if stage.backline_notes else ""
        lines.append(("Backline", "Available: " + ", ".join(items) + "." + notes))
    elif stage.backline_notes:
        lines.append(("Backline", stage.backline_notes))
    outlets = _plural(stage.power_outlets, "outlet", "outlets") + " on stage" if stage.power_outlets is not None else None
    power = [p for p in (outlets, _yes_no(stage.three_phase, "three-phase power", "no three-phase power")) if p]
    if power:
        lines.append(("Power", ", ".join(power).capitalize() + "."))
    if stage.lighting:
        lines.append(("Lighting", stage.lighting))
    load = [p for p in (f"{stage.load_in_distance_m} m from the van" if stage.load_in_distance_m is not None else None,
                        (_plural(stage.load_in_steps, "step", "steps") if stage.load_in_steps else "no steps")
                        if stage.load_in_steps is not None else None,
                        _yes_no(stage.load_in_lift, "goods lift", "no lift")) if p]
    if load or stage.load_in_notes:
        lines.append(("Load-in", " ".join(p for p in ((", ".join(load).capitalize() + ".") if load else "",
                                                      stage.load_in_notes) if p)))
    if stage.curfew is not None:
        lines.append(("Curfew", f"{time_format(stage.curfew, 'H:i')} local time."))
    cap = [p for p in (f"{stage.capacity_standing} standing" if stage.capacity_standing else None,
                       f"{stage.capacity_seated} seated" if stage.capacity_seated else None) if p]
    lines.append(("Capacity", (" · ".join(cap) if cap else str(stage.capacity)) + "."))
    access = [p for p in (_yes_no(stage.step_free, "step-free access", "no step-free access"),
                          _yes_no(stage.accessible_toilet, "accessible toilet", "no accessible toilet"),
                          _yes_no(stage.hearing_loop, "hearing loop", "no hearing loop")) if p]
    if access or stage.accessibility_notes:
        lines.append(("Access", " ".join(p for p in ((", ".join(access).capitalize() + ".") if access else "",
                                                    stage.accessibility_notes) if p)))
    return lines
