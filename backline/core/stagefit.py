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


def compare(needs: StageNeeds, offer: StageOffer) -> list[FitLine]:  # pragma: no cover - filled in by the riders work
    raise NotImplementedError
