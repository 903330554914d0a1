"""Tech specs for every demo venue's stages (varied by size: a small club's 5 × 3.5 m stage with two
monitor mixes and no drum kit, a hall's 10 × 7 m stage with eight mixes and full backline), public
page addresses and genres, and one unlisted venue page. Re-running keeps what is there."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from backline.venues import services as venues
from backline.venues.models import Stage, Venue, Visibility

# (up to this capacity: width, depth, mixes, inputs, desk, PA, PA watts, backline)
TIERS = [
    (200, "5", "3.5", 2, 12, "Soundcraft Ui16", "RCF ART 7 tops and two subs", 4_000, ["di_boxes", "mic_stands"]),
    (450, "7", "5", 4, 24, "Allen & Heath Qu-24", "d&b E-Series", 8_000,
     ["drum_kit", "cymbals", "bass_amp", "di_boxes", "mic_stands"]),
    (900, "8", "6", 6, 32, "Yamaha CL3", "L-Acoustics Kara", 16_000,
     ["drum_kit", "cymbals", "bass_amp", "guitar_amp", "keyboard_stand", "di_boxes", "mic_stands"]),
    (200_000, "10", "7", 8, 48, "Allen & Heath dLive S5000", "d&b V-Series line array", 40_000,
     ["drum_kit", "cymbals", "bass_amp", "guitar_amp", "keyboard", "keyboard_stand", "di_boxes", "mic_stands",
      "drum_riser"]),
]
GENRES = ["indie rock", "jazz", "folk", "electronic", "punk", "soul", "hip hop", "singer-songwriter", "metal",
          "world music", "blues", "pop"]
LIGHTING = ["House rig: 8 LED pars and two moving heads, run from a small desk by the sound engineer.",
            "12 LED washes, 4 profiles and a hazer; a lighting operator on request.",
            "Basic white and colour wash; bring your own operator for anything more."]


def _spec(stage: Stage, rng: random.Random) -> dict:
    cap, width, depth, mixes, inputs, desk, pa, watts, backline = next(t for t in TIERS if stage.capacity <= t[0])
    return {"width_m": Decimal(width), "depth_m": Decimal(depth), "height_m": Decimal(rng.choice(["3", "3.5", "4.5", "6"])),
            "pa_make": pa, "pa_power_w": watts, "console": desk, "inputs": inputs, "monitor_mixes": mixes,
            "backline_available": backline, "backline_notes": rng.choice(["", "Bring your own cymbals and snare.",
                                                                          "Breakables (snare, cymbals, pedals) are the act's."]),
            "power_outlets": rng.choice([4, 6, 8, 12]), "three_phase": stage.capacity >= 450,
            "lighting": rng.choice(LIGHTING), "load_in_distance_m": rng.choice([5, 15, 30, 60]),
            "load_in_steps": rng.choice([0, 0, 4, 12]), "load_in_lift": rng.choice([True, False, None]),
            "load_in_notes": rng.choice(["", "Load in from the yard at the back; van parking for one vehicle."]),
            "curfew": dt.time(rng.choice([22, 23, 23, 0]), 0),
            "capacity_standing": stage.capacity, "capacity_seated": stage.capacity // 2 if stage.capacity >= 250 else None,
            "step_free": rng.choice([True, True, False]), "accessible_toilet": rng.choice([True, False]),
            "hearing_loop": rng.choice([True, False, None]), "accessibility_notes": ""}


def build() -> None:
    unlisted_done = Venue.objects.filter(visibility=Visibility.UNLISTED).exists()
    for n, venue in enumerate(Venue.objects.select_related("workspace").order_by("pk")):
        owner = venue.workspace.memberships.filter(role="owner").select_related("user").first()
        if owner is None:
            continue
        rng = random.Random(venue.pk)
        if not venue.genres:
            changes = {"genres": rng.sample(GENRES, 3)}
            if not unlisted_done and n == 3:  # one venue whose page is by link only
                changes["visibility"] = Visibility.UNLISTED
                unlisted_done = True
            venues.venue_update(actor=owner.user, venue_id=venue.pk, **changes)
        for stage in venue.stages.filter(width_m__isnull=True):
            venues.stage_spec_update(actor=owner.user, stage_id=stage.pk, **_spec(stage, rng))


def place_bookings() -> None:
    """Put each demo booking at a venue on one of its stages (the biggest), through the booking service, so
    the booking page compares the act's rider with that stage. Bookings whose stage may no longer change
    (settled, cancelled) keep none."""
    from backline.accounts.models import Membership, Role
    from backline.bookings.models import Booking
    from backline.bookings.services import booking_update
    from backline.core.errors import DomainError

    owners = {m.workspace_id: m.user for m in Membership.objects.filter(role=Role.OWNER).select_related("user")}
    for booking in Booking.objects.filter(venue__isnull=False, room__isnull=True).select_related("venue"):
        stage = booking.venue.stages.order_by("-capacity", "pk").first()
        actor = owners.get(booking.workspace_id)
        if stage is None or actor is None:
            continue
        try:
            booking_update(actor=actor, booking_id=booking.pk, stage_id=stage.pk)
        except DomainError:
            continue
