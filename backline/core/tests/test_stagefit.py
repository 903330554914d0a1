"""Worked examples of the rider ↔ stage spec match: each verdict, in the words people read."""

from decimal import Decimal

from backline.core.stagefit import FitLine, StageNeeds, StageOffer, compare


def words(lines: list[FitLine]) -> list[str]:
    return [line.words for line in lines]


def test_fewer_monitor_mixes_than_needed_is_short():
    lines = compare(StageNeeds(monitor_mixes=6), StageOffer(monitor_mixes=4))
    assert lines == [FitLine("monitor_mixes", "short", "Needs 6 monitor mixes; the stage has 4.")]


def test_enough_monitor_mixes_fits():
    assert words(compare(StageNeeds(monitor_mixes=4), StageOffer(monitor_mixes=6))) == [
        "Needs 4 monitor mixes; the stage has 6: fits."]


def test_a_stage_too_small_in_either_direction_is_short():
    needs = StageNeeds(stage_width_m=Decimal("8"), stage_depth_m=Decimal("5"))
    assert words(compare(needs, StageOffer(width_m=Decimal("6"), depth_m=Decimal("4")))) == [
        "Stage 6 × 4 m; the act needs 8 × 5 m."]
    assert compare(needs, StageOffer(width_m=Decimal("10"), depth_m=Decimal("4.5")))[0].verdict == "short"
    assert words(compare(needs, StageOffer(width_m=Decimal("10.0"), depth_m=Decimal("6.5")))) == [
        "Stage 10 × 6.5 m; the act needs 8 × 5 m: fits."]


def test_backline_needed_and_not_listed():
    lines = compare(StageNeeds(backline_needed=frozenset({"drum_kit"})), StageOffer())
    assert lines == [FitLine("backline", "short", "Needs a drum kit; the stage has no backline listed.")]
    lines = compare(StageNeeds(backline_needed=frozenset({"drum_kit", "bass_amp"})),
                    StageOffer(backline_available=frozenset({"bass_amp"})))
    assert words(lines) == ["Needs a drum kit; the stage's backline does not include one.",
                            "Needs a bass amp; the stage has one."]


def test_more_channels_than_the_console_takes():
    assert words(compare(StageNeeds(inputs=24), StageOffer(inputs=16))) == [
        "The input list has 24 channels; the console takes 16."]
    assert compare(StageNeeds(inputs=16), StageOffer(inputs=16))[0].verdict == "fits"


def test_what_the_stage_does_not_state_is_unknown_never_a_fit():
    lines = compare(StageNeeds(monitor_mixes=4, inputs=12, stage_width_m=Decimal(6), stage_depth_m=Decimal(4),
                               three_phase=True), StageOffer())
    assert {line.verdict for line in lines} == {"unknown"}
    assert "The stage's monitor mixes are not listed." in words(lines)
    assert "The stage's size is not listed." in words(lines)


def test_power_outlets_and_three_phase():
    lines = compare(StageNeeds(power_outlets=8, three_phase=True), StageOffer(power_outlets=10, three_phase=False))
    assert words(lines) == ["Needs three-phase power; the stage has none.", "Needs 8 power outlets; the stage has 10: fits."]


def test_problems_come_first_then_unknowns_then_fits():
    needs = StageNeeds(inputs=12, monitor_mixes=6, stage_width_m=Decimal(6), stage_depth_m=Decimal(4),
                       backline_needed=frozenset({"drum_kit"}))
    offer = StageOffer(inputs=24, monitor_mixes=4, backline_available=frozenset({"drum_kit"}))
    assert [line.verdict for line in compare(needs, offer)] == ["short", "unknown", "fits", "fits"]
    assert compare(needs, offer)[0].words == "Needs 6 monitor mixes; the stage has 4."


def test_nothing_stated_means_nothing_to_compare():
    assert compare(StageNeeds(), StageOffer(inputs=24, monitor_mixes=6)) == []


def test_plural_backline_reads_as_plural():
    lines = compare(StageNeeds(backline_needed=frozenset({"cymbals"})), StageOffer(backline_available=frozenset({"cymbals"})))
    assert words(lines) == ["Needs cymbals; the stage has them."]
    lines = compare(StageNeeds(backline_needed=frozenset({"di_boxes"})), StageOffer(backline_available=frozenset({"bass_amp"})))
    assert words(lines) == ["Needs DI boxes; the stage's backline does not include them."]
