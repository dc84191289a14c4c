"""Local meeting times: wall-clock input in the meeting's time zone, checked against DST.

Rules (the same for the window and the command line):

- An aware datetime (with an offset) is taken as the instant it names.
- A naive datetime is wall-clock time in the meeting's zone (default Europe/Berlin).
- A wall-clock time that does not exist (the spring-forward gap, e.g. 2026-03-29 02:30 in
  Berlin) is refused: silently moving it by an hour would invite people to the wrong time.
- A wall-clock time that exists twice (fall-back, e.g. 2026-10-25 02:30 in Berlin) is resolved
  deterministically to its *first* occurrence (``fold=0``, still summer time, +02:00); the
  second one is given with its offset (``2026-10-25T02:30+01:00``). Meetings at that hour are
  rare enough that asking back is not worth a dialog, but wherever such a time is shown it
  carries the zone's name ("02:30 MEZ", ``app.i18n.format_time``) and the window a note
  (``time_note``); calendar files give it in UTC (``app.documents.calendar``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import ValidationError
from app.i18n import _, format_datetime, format_time, occurs_twice, zone_name

DEFAULT_TIMEZONE = "Europe/Berlin"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“{zone}” is not a known time zone.").format(zone=name)) from exc


def exists_locally(naive: datetime, tz: ZoneInfo) -> bool:
    """False inside a DST gap: the wall time does not survive a round trip through UTC."""
    aware = naive.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None, fold=0) == naive.replace(fold=0)


def is_ambiguous(naive: datetime, tz: ZoneInfo) -> bool:
    """True in the repeated hour of a DST fall-back (the two folds have different offsets)."""
    first = naive.replace(tzinfo=tz, fold=0).utcoffset()
    second = naive.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and exists_locally(naive, tz)


def localize(value: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """An aware datetime in *timezone*; naive input is wall time there (see module rules)."""
    tz = zone(timezone)
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(tz)
    naive = value.replace(tzinfo=None, fold=0)
    if not exists_locally(naive, tz):
        raise ValidationError(
            _(
                "{time} does not exist in the time zone {zone}: the clocks are put forward "
                "that night. Please choose another time."
            ).format(time=format_datetime(naive), zone=timezone)
        )
    return naive.replace(tzinfo=tz, fold=0)


def parse_local(text: str, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """ISO 8601 text (``2026-05-04T18:00``, ``…+02:00`` or ``…Z``) as an aware local datetime.

    A date alone is refused: a meeting needs a time of day.
    """
    cleaned = text.strip()
    try:
        if len(cleaned) <= len("2026-05-04"):
            date.fromisoformat(cleaned)  # a valid date without a time
            raise ValidationError(
                _("“{text}” has no time of day; give e.g. {example}.").format(
                    text=cleaned, example="2026-05-04T18:00"
                )
            )
        value = datetime.fromisoformat(cleaned)
    except ValueError as exc:
        raise ValidationError(
            _("“{text}” is not a date and time like {example}.").format(
                text=cleaned, example="2026-05-04T18:00"
            )
        ) from exc
    return localize(value, timezone)


def check_period(start: datetime, end: datetime | None) -> None:
    """Refuse an end that is not after the start (both aware)."""
    if end is not None and end <= start:
        raise ValidationError(
            _("The meeting must end after it starts (start: {start}, end: {end}).").format(
                end=format_datetime(end), start=format_datetime(start)
            )
        )


def time_note(value: datetime | None) -> str:
    """A sentence for a meeting time in the hour that occurs twice ("" for any other time)."""
    if value is None or not occurs_twice(value):
        return ""
    when, name = format_time(value.replace(tzinfo=None)), zone_name(value)
    if value.fold == 0:
        text = _(
            "The clocks are put back that night, so {time} comes twice: this meeting is at "
            "the first {time}, still summer time ({zone})."
        )
    else:
        text = _(
            "The clocks are put back that night, so {time} comes twice: this meeting is at "
            "the second {time}, after the change to winter time ({zone})."
        )
    return text.format(time=when, zone=name)
