"""Every demo act's riders: a technical rider that fits its line-up (a band: drums, bass, guitars, vocals,
16–24 channels, 4–6 monitor mixes, brings guitars and amps, needs a drum kit; a solo or duo act: 6
channels) and a hospitality rider. The first band has an older version replaced by the one in force,
so the versions and the "what changed" page have something to show. Bands ask for bigger stages than
some demo stages have, so the rider ↔ stage match shows what does not fit."""

from __future__ import annotations

from django.db.models import Count

from backline.accounts.models import Role
from backline.artists import riders
from backline.artists.models import Act, Rider

BAND = [("Kick", "Shure Beta 91", "", "inside the drum"), ("Snare top", "Shure SM57", "short boom", ""),
        ("Snare bottom", "Sennheiser e604", "clip", ""), ("Hi-hat", "AKG C451", "short boom", ""),
        ("Rack tom", "Sennheiser e604", "clip", ""), ("Floor tom", "Sennheiser e604", "clip", ""),
        ("Overhead L", "Rode NT5", "tall boom", ""), ("Overhead R", "Rode NT5", "tall boom", ""),
        ("Bass DI", "DI (active)", "", "from the amp's DI out"), ("Bass amp", "Sennheiser e602", "short boom", ""),
        ("Guitar 1", "Sennheiser e906", "", "hung on the cab"), ("Guitar 2", "Shure SM57", "short boom", ""),
        ("Keys L", "DI (active)", "", "stereo"), ("Keys R", "DI (active)", "", "stereo"),
        ("Lead vocal", "Shure Beta 58A", "tall boom", "own mic, wireless if possible"),
        ("Backing vocal (guitar)", "Shure SM58", "tall boom", ""), ("Backing vocal (bass)", "Shure SM58", "tall boom", ""),
        ("Playback L", "DI (passive)", "", "click and samples from the laptop"), ("Playback R", "DI (passive)", "", ""),
        ("Talkback", "Shure SM58", "", "switched, monitors only")]
SMALL = [("Lead vocal", "Shure Beta 58A", "tall boom", ""), ("Acoustic guitar", "DI (active)", "", ""),
         ("Second vocal", "Shure SM58", "tall boom", ""), ("Keys L", "DI (active)", "", ""),
         ("Keys R", "DI (active)", "", ""), ("Playback", "DI (passive)", "", "phone or laptop, mono")]


def _rows(table, count):
    return [{"channel": i + 1, "source": s, "mic": m, "stand": st, "notes": n} for i, (s, m, st, n) in enumerate(table[:count])]


def _publish(owner, ws_id: int, kind: str, **fields) -> Rider:
    draft = riders.rider_draft(actor=owner, workspace_id=ws_id, kind=kind)
    riders.rider_update(actor=owner, workspace_id=ws_id, rider_id=draft.pk, **fields)
    return riders.rider_publish(actor=owner, workspace_id=ws_id, rider_id=draft.pk)


def build() -> bool:
    """Add the riders; ``False`` if the acts have them already (or there are no acts)."""
    acts = list(Act.objects.select_related("workspace").annotate(size=Count("members")).order_by("pk"))
    if not acts or Rider.objects.exists():
        return False
    first_band = True
    for n, act in enumerate(acts):
        owner = act.workspace.memberships.filter(role=Role.OWNER).order_by("pk").first().user
        ws = act.workspace_id
        band = act.act_type == "band" or act.size >= 3
        if band:
            channels = (16, 20, 24)[n % 3]
            mixes = ["Lead vocal, wedge", "Guitar, wedge", "Bass, wedge", "Drums, side fill"] + (
                ["Keys, in-ear", "Backing vocals, wedge"][: n % 3])
            tech = {"inputs": _rows(BAND, channels), "monitor_mixes": mixes,
                    "backline_brings": ["guitar_amp", "bass_amp", "keyboard"], "backline_needs": ["drum_kit", "cymbals"],
                    "power_outlets": 6, "stage_width_m": ("8", "7", "6")[n % 3], "stage_depth_m": ("5", "5", "4")[n % 3],
                    "changeover_minutes": 20, "notes": "We bring our own in-ear rack for the keys player."}
        else:
            tech = {"inputs": _rows(SMALL, 6), "monitor_mixes": ["Vocal, wedge", "Second vocal, wedge"],
                    "backline_brings": [], "backline_needs": ["di_boxes", "mic_stands"], "power_outlets": 2,
                    "stage_width_m": "3", "stage_depth_m": "2", "changeover_minutes": 10}
        if band and first_band:  # an older version, replaced: two mixes fewer and no playback channels
            first_band = False
            _publish(owner, ws, "technical", **{**tech, "inputs": tech["inputs"][:14], "monitor_mixes": mixes[:3],
                                                "stage_width_m": "6", "stage_depth_m": "4"})
        _publish(owner, ws, "technical", **tech)
        people = max(act.size, 1)
        _publish(owner, ws, "hospitality", guest_list=4 if band else 2, meals=people + 1,
                 meal_notes="one vegetarian, one gluten-free" if band else "vegetarian",
                 drinks="Still water on stage, a crate of local beer and soft drinks in the dressing room",
                 rooms=(people + 1) // 2 if band else 1, room_type="twin rooms" if band else "double room",
                 parking=1, dressing_room="Lockable, with a mirror and a kettle", notes="")
    return True
