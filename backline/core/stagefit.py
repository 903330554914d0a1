"""What an act needs on stage and what a stage offers, as plain data, so the rider (artists) and the
stage spec (venues) can be compared wherever an act and a stage meet without either app importing the
other. ``compare`` (filled in by the riders work) turns the two into plain-word lines:
"needs 6 monitor mixes; the stage has 4"."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models


class BacklineItem(models.TextChoices):
    """One shared list of backline, so "needs a drum kit" and "has a drum kit" mean the same thing."""

    DRUM_KIT = "drum_kit", "Drum kit"
    CYMBALS = "cymbals", "Cymbals"
    BASS_AMP = "bass_amp", "Bass amp"
    GUITAR_AMP = "guitar_amp", "Guitar amp"
    KEYBOARD = "keyboard", "Keyboard or stage piano"
    KEYBOARD_STAND = "keyboard_stand", "Keyboard stand"
    ACOUSTIC_PIANO = "acoustic_piano", "Acoustic piano"
    DJ_DECKS = "dj_decks", "DJ decks"
    DJ_MIXER = "dj_mixer", "DJ mixer"
    DI_BOXES = "di_boxes", "DI boxes"
    MIC_STANDS = "mic_stands", "Microphone stands"
    DRUM_RISER = "drum_riser", "Drum riser"


# Items named in the plural ("needs cymbals", not "needs a cymbals").
PLURAL_ITEMS = frozenset({BacklineItem.CYMBALS, BacklineItem.DI_BOXES, BacklineItem.MIC_STANDS, BacklineItem.DJ_DECKS})


@dataclass(frozen=True)
class StageNeeds:
    """From an act's current technical rider. None means "not stated" (nothing to compare)."""

    inputs: int | None = None  # channels on the input list
    monitor_mixes: int | None = None
    stage_width_m: Decimal | None = None
    stage_depth_m: Decimal | None = None
    backline_needed: frozenset[str] = field(default_factory=frozenset)  # BacklineItem values
    power_outlets: int | None = None
    three_phase: bool = False
    changeover_minutes: int | None = None


@dataclass(frozen=True)
class StageOffer:
    """From a stage's tech spec. None means "not stated" (shown as unknown, never as a fit)."""

    inputs: int | None = None
    monitor_mixes: int | None = None
    width_m: Decimal | None = None
    depth_m: Decimal | None = None
    backline_available: frozenset[str] = field(default_factory=frozenset)
    power_outlets: int | None = None
    three_phase: bool | None = None


@dataclass(frozen=True)
class FitLine:
    topic: str  # "inputs", "monitor_mixes", "stage_size", "backline", "power"
    verdict: str  # "fits", "short", "unknown"
    words: str  # plain words for people


FITS, SHORT, UNKNOWN = "fits", "short", "unknown"
_ORDER = {SHORT: 0, UNKNOWN: 1, FITS: 2}


def _n(value, one: str, many: str) -> str:
    return f"{value} {one if value == 1 else many}"


def _m(value: Decimal) -> str:
    """6 for 6.0, 6.5 for 6.5: metres as people write them."""
    return f"{Decimal(value).normalize():f}"


def _count_line(topic: str, need: int | None, have: int | None, *, need_words: str, have_words: str,
                one: str, many: str, unknown: str) -> FitLine | None:
    if not need:
        return None
    if have is None:
        return FitLine(topic, UNKNOWN, unknown)
    if have < need:
        return FitLine(topic, SHORT, f"{need_words} {_n(need, one, many)}; {have_words} {have}.")
    return FitLine(topic, FITS, f"{need_words} {_n(need, one, many)}; {have_words} {have}: fits.")


def _backline_line(needs: StageNeeds, offer: StageOffer) -> list[FitLine]:
    lines = []
    labels = dict(BacklineItem.choices)
    for value in sorted(needs.backline_needed, key=lambda v: list(labels).index(v) if v in labels else 99):
        label = labels.get(value, value.replace("_", " "))
        label = label if label[:2].isupper() else label.lower()  # "DI boxes" keeps its capitals
        plural = value in PLURAL_ITEMS
        what = label if plural else f"{'an' if label[0] in 'aeiou' else 'a'} {label}"
        if value in offer.backline_available:
            lines.append(FitLine("backline", FITS, f"Needs {what}; the stage has {'them' if plural else 'one'}."))
        elif not offer.backline_available:
            lines.append(FitLine("backline", SHORT, f"Needs {what}; the stage has no backline listed."))
        else:
            lines.append(FitLine("backline", SHORT, f"Needs {what}; the stage's backline does not include "
                                                    f"{'them' if plural else 'one'}."))
    return lines


def compare(needs: StageNeeds, offer: StageOffer) -> list[FitLine]:
    """What fits and what does not, in plain words, problems first (then unknowns, then fits).

    Only what the act states is compared; what the stage does not state is said to be unknown, never a fit."""
    lines: list[FitLine | None] = [
        _count_line("monitor_mixes", needs.monitor_mixes, offer.monitor_mixes, need_words="Needs",
                    have_words="the stage has", one="monitor mix", many="monitor mixes",
                    unknown="The stage's monitor mixes are not listed."),
        _count_line("inputs", needs.inputs, offer.inputs, need_words="The input list has",
                    have_words="the console takes", one="channel", many="channels",
                    unknown="The console's inputs are not listed."),
        _count_line("power", needs.power_outlets, offer.power_outlets, need_words="Needs",
                    have_words="the stage has", one="power outlet", many="power outlets",
                    unknown="The stage's power outlets are not listed."),
    ]
    if needs.stage_width_m and needs.stage_depth_m:
        need = f"{_m(needs.stage_width_m)} × {_m(needs.stage_depth_m)} m"
        if offer.width_m is None or offer.depth_m is None:
            lines.append(FitLine("stage_size", UNKNOWN, "The stage's size is not listed."))
        else:
            have = f"{_m(offer.width_m)} × {_m(offer.depth_m)} m"
            short = offer.width_m < needs.stage_width_m or offer.depth_m < needs.stage_depth_m
            lines.append(FitLine("stage_size", SHORT, f"Stage {have}; the act needs {need}.") if short
                         else FitLine("stage_size", FITS, f"Stage {have}; the act needs {need}: fits."))
    if needs.three_phase:
        if offer.three_phase is None:
            lines.append(FitLine("power", UNKNOWN, "Needs three-phase power; the stage's power is not listed."))
        elif offer.three_phase:
            lines.append(FitLine("power", FITS, "Needs three-phase power; the stage has it."))
        else:
            lines.append(FitLine("power", SHORT, "Needs three-phase power; the stage has none."))
    lines.extend(_backline_line(needs, offer))
    found = [line for line in lines if line is not None]
    return sorted(found, key=lambda line: _ORDER[line.verdict])  # stable: topics keep their order
