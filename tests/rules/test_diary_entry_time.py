"""How staff type a diary time: a clock time in the clinic's zone, or minutes after the block."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from blocks.rules.diary import EntryTimeError, minutes_from_entry

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
MORNING = dt.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LATE_EVENING = dt.datetime(2026, 3, 2, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("275", 275),
        ("0", 0),
        ("1440", 1440),
        (" 60 min", 60),
        ("14:05", 275),
        ("9:45", 15),
        ("09:30", 0),
        ("10.30", 60),
        ("23:59", 869),
    ],
)
def test_a_time_reads_as_minutes_after_the_block(text, minutes):
    assert minutes_from_entry(text, MORNING, UTC) == minutes


def test_a_clock_time_after_midnight_reads_as_the_next_day():
    assert minutes_from_entry("01:15", LATE_EVENING, UTC) == 165
    assert minutes_from_entry("00:00", LATE_EVENING, UTC) == 90
    # The next morning, well before the block's own clock time.
    assert minutes_from_entry("07:00", MORNING, UTC) == 1290


def test_a_clock_time_just_before_the_block_is_refused_as_before_it():
    with pytest.raises(EntryTimeError, match=r"^09:15 is before the block \(09:30\)"):
        minutes_from_entry("09:15", MORNING, UTC)
    with pytest.raises(EntryTimeError, match="before the block"):
        minutes_from_entry("07:30", MORNING, UTC)  # exactly two hours before
    assert minutes_from_entry("07:29", MORNING, UTC) == 1319  # then it is the next day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1441", "1441 minutes is more than a day after the block (09:30)"),
        ("-5", "A time before the block cannot be a diary score."),
        ("24:00", "Type a clock time such as 14:05"),
        ("later", "Type a clock time such as 14:05"),
        ("", "Type a clock time such as 14:05"),
    ],
)
def test_an_impossible_time_is_refused_with_a_reason(text, message):
    with pytest.raises(EntryTimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        minutes_from_entry(text, MORNING, UTC)


def test_a_clock_time_is_read_in_the_clinics_time_zone():
    # 09:30 UTC is 10:30 in London in summer (BST); "11:00" there is 30 minutes later.
    summer = dt.datetime(2026, 6, 2, 9, 30, tzinfo=UTC)
    assert minutes_from_entry("11:00", summer, LONDON) == 30
    assert minutes_from_entry("11:00", summer, UTC) == 90
