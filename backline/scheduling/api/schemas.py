"""In/Out schemas of the scheduling API (models are never exposed directly)."""


import datetime as dt

from ninja import Field, Schema

from backline.core.api.types import Id, LocalTime, OffsetDateTime, TimeZoneName


class ScheduleOut(Schema):
    default_state: str
    time_zone: str


class ScheduleIn(Schema):
    default_state: str = Field(description="free, busy or unknown: what time with no pattern or block means")


class RuleOut(Schema):
    id: int
    state: str
    label: str
    time_zone: str
    starts_on: dt.date
    ends_on: dt.date | None
    start_time: LocalTime
    end_time: LocalTime
    rrule: str
    exdates: list[str]
    words: str = Field(description="the whole pattern in one sentence: \"Every Friday, 17:00–01:00 (next day), "
                                   "until 30 June 2027, except on Fri 24 Dec 2027\"")


class RuleIn(Schema):
    state: str = Field(description="free or busy")
    starts_on: dt.date
    start_time: LocalTime
    end_time: LocalTime = Field(description="a local wall-clock time without a UTC offset, at or before start_time: "
                                            "runs past midnight")
    rrule: str = Field(max_length=500, examples=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"])
    ends_on: dt.date | None = None
    time_zone: TimeZoneName | None = Field(None, description="IANA zone; defaults to the person's own")
    label: str = Field("", max_length=120)
    exdates: list[str] = []


class RulePatchIn(Schema):
    state: str | None = None
    starts_on: dt.date | None = None
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    rrule: str | None = Field(None, max_length=500)
    ends_on: dt.date | None = None
    time_zone: TimeZoneName | None = None
    label: str | None = Field(None, max_length=120)
    exdates: list[str] | None = None
    from_date: dt.date | None = Field(None, description="change only from this date on; the past keeps the old pattern")


class BlockOut(Schema):
    id: int
    state: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    all_day: bool
    time_zone: str
    label: str


class BlockIn(Schema):
    state: str
    starts_at: OffsetDateTime
    ends_at: OffsetDateTime
    all_day: bool = False
    time_zone: TimeZoneName | None = None
    label: str = Field("", max_length=120)


class BlockPatchIn(Schema):
    state: str | None = None
    starts_at: OffsetDateTime | None = None
    ends_at: OffsetDateTime | None = None
    all_day: bool | None = None
    time_zone: TimeZoneName | None = None
    label: str | None = Field(None, max_length=120)


class SpanIn(Schema):
    starts_at: OffsetDateTime
    ends_at: OffsetDateTime


class SpanOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class CalendarItemOut(Schema):
    id: str
    kind: str = Field(description="pattern, block, imported or commitment")
    state: str
    title: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool = Field(False, description="a block of whole local days (start and end are local midnights)")
    rule_id: int | None = Field(None, description="the pattern an occurrence comes from")
    block_id: int | None = Field(None, description="the block, to change or delete it")
    workspace: str | None = Field(None, description="the act or agency a commitment comes from")
    when: str = Field("", description="a pattern's times in words, one span even past midnight: "
                                      "\"17:00–01:00 (next day)\"")


class CommitmentOut(Schema):
    id: int
    title: str
    location: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    status: str
    workspace_id: int
    source_type: str
    source_id: int


class ConflictOut(Schema):
    user_id: int
    kind: str = Field(description="commitment, busy_block, busy_pattern or imported (imported only for your own "
                                  "events; anyone else's show as busy_block)")
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    source_type: str
    source_id: int | None


class MemberRef(Schema):
    id: int
    name: str


class ZoneSpanOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: float
    missing: MemberRef | None = None


class GreenZoneOut(Schema):
    start: dt.date
    end: dt.date
    time_zone: str
    required: list[MemberRef]
    optional: list[MemberRef]
    unknown: list[MemberRef] = Field(description="required members without an account: their availability is unknown")
    all_free: list[ZoneSpanOut]
    all_but_one: list[ZoneSpanOut]
    days: list[dt.date]


class EventOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    location: str
    notes: str
    status: str
    cancel_reason: str
    participant_ids: list[int]
    sequence: int

    @staticmethod
    def resolve_participant_ids(obj):
        return [m.pk for m in obj.participants.all()]


class EventIn(Schema):
    title: str = Field(min_length=1, max_length=160)
    kind: str = "rehearsal"
    starts_at: OffsetDateTime
    ends_at: OffsetDateTime
    time_zone: TimeZoneName | None = None
    location: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    participant_ids: list[Id] | None = Field(None, description="line-up entries; default: the whole line-up")


class EventPatchIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=160)
    kind: str | None = None
    starts_at: OffsetDateTime | None = None
    ends_at: OffsetDateTime | None = None
    time_zone: TimeZoneName | None = None
    location: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=5000)
    participant_ids: list[Id] | None = None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class FeedOut(Schema):
    id: int
    kind: str
    url: str
    webcal_url: str
    include_green_zone: bool


class FeedPatchIn(Schema):
    include_green_zone: bool
