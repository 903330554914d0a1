"""How an act fits the stages of the person looking at its press kit: the act's technical rider in force
against each stage of the venue and promoter workspaces they book for (``core.stagefit.compare``), so a
promoter sees "needs 6 monitor mixes; the stage has 4" before asking for a date."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from backline.artists import riders
from backline.artists.models import RiderKind
from backline.core.stagefit import FitLine, StageOffer, compare
from backline.venues.models import Stage, Venue
from backline.venues.specs import stage_offer

MAX_STAGES = 8


@dataclass(frozen=True)
class StageFit:
    stage: Stage
    lines: list[FitLine]

    @property
    def problems(self) -> int:
        return sum(1 for line in self.lines if line.verdict == "short")


def buyer_venues(buyers) -> list[Venue]:
    """The venues of the workspaces a person books for, each with its stages (their "request a date" may
    name one of each); two queries."""
    if not buyers:
        return []
    stages = Prefetch("stages", queryset=Stage.objects.only("id", "name", "venue_id").order_by("name", "pk"))
    return list(Venue.objects.filter(workspace__in=buyers).select_related("workspace").prefetch_related(stages)
                .order_by("name", "pk"))


def stage_fits(act_id: int, buyers) -> tuple[bool, list[StageFit]]:
    """(whether the act has a technical rider in force, the fit with each of the buyers' stages whose spec
    is filled in), at most ``MAX_STAGES`` stages, in three queries."""
    if not buyers:
        return False, []
    technical = riders.current_riders([act_id]).get((act_id, RiderKind.TECHNICAL))
    if technical is None:
        return False, []
    needs = riders.stage_needs(technical)
    stages = (Stage.objects.filter(venue__workspace__in=buyers).select_related("venue")
              .order_by("venue__name", "-capacity", "name")[:MAX_STAGES])
    fits = []
    for stage in stages:
        offer = stage_offer(stage)
        if offer != StageOffer():
            fits.append(StageFit(stage, compare(needs, offer)))
    return True, fits
