"""Local meeting times: DST gap refused, fall-back resolved to the first occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.errors import ValidationError
from app.services.planning.times import (
    check_period,
    exists_locally,
    is_ambiguous,
    localize,
    parse_local,
    zone,
)

BERLIN = zone("Europe/Berlin")


def test_naive_time_is_berlin_wall_time() -> None:
    value = localize(datetime(2026, 5, 4, 18, 0))
    assert value.utcoffset() == timedelta(hours=2)
    assert value.astimezone(UTC) == datetime(2026, 5, 4, 16, 0, tzinfo=UTC)


def test_winter_time_offset() -> None:
    assert localize(datetime(2026, 1, 15, 18, 0)).utcoffset() == timedelta(hours=1)


def test_dst_gap_is_refused() -> None:
    assert not exists_locally(datetime(2026, 3, 29, 2, 30), BERLIN)
    with pytest.raises(ValidationError, match="Europe/Berlin"):
        localize(datetime(2026, 3, 29, 2, 30))
    # The minutes around the gap are fine.
    assert localize(datetime(2026, 3, 29, 1, 59)).utcoffset() == timedelta(hours=1)
    assert localize(datetime(2026, 3, 29, 3, 0)).utcoffset() == timedelta(hours=2)


def test_ambiguous_time_takes_the_first_occurrence() -> None:
    naive = datetime(2026, 10, 25, 2, 30)
    assert is_ambiguous(naive, BERLIN)
    assert not is_ambiguous(datetime(2026, 10, 25, 4, 0), BERLIN)
    value = localize(naive)
    assert value.utcoffset() == timedelta(hours=2)  # still summer time
    assert value.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # fold=1 given by a caller does not change the documented rule.
    assert localize(naive.replace(fold=1)) == value


def test_aware_input_keeps_its_instant() -> None:
    # 02:30 +01:00 on the night of the gap is a real instant (03:30 summer time).
    value = localize(datetime(2026, 3, 29, 2, 30, tzinfo=timezone(timedelta(hours=1))))
    assert (value.hour, value.minute) == (3, 30)
    assert value.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-05-04T18:00", datetime(2026, 5, 4, 16, 0, tzinfo=UTC)),
        ("2026-05-04 18:00", datetime(2026, 5, 4, 16, 0, tzinfo=UTC)),
        ("2026-05-04T18:00:00+02:00", datetime(2026, 5, 4, 16, 0, tzinfo=UTC)),
        ("2026-05-04T16:00Z", datetime(2026, 5, 4, 16, 0, tzinfo=UTC)),
        ("2026-05-04T18:00+00:00", datetime(2026, 5, 4, 18, 0, tzinfo=UTC)),
    ],
)
def test_parse_iso(text: str, utc: datetime) -> None:
    value = parse_local(text)
    assert value == utc
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(hours=2)  # shown in Berlin time


@pytest.mark.parametrize(
    "text", ["2026-05-04", "morgen", "2026-13-01T10:00", "2026-03-29T02:30", ""]
)
def test_parse_iso_refuses(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_local(text)


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValidationError):
        localize(datetime(2026, 5, 4, 18, 0), "Mars/Olympus")


def test_period_end_must_follow_start() -> None:
    start = localize(datetime(2026, 5, 4, 18, 0))
    check_period(start, None)
    check_period(start, start + timedelta(minutes=1))
    with pytest.raises(ValidationError):
        check_period(start, start)
    with pytest.raises(ValidationError):
        check_period(start, start - timedelta(hours=1))
