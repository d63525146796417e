"""Play through the years, step by step, without a page: what the map shows and what comes back at the end."""

import pytest

from view.playback import first_step, next_step, play_range


def played(chosen, last_year, mode):
    playing = play_range(chosen, last_year)
    shown, going, steps = first_step(chosen), True, []
    while going:
        steps.append(shown)
        shown, going = next_step(shown, playing, mode)
    return steps, shown


def test_one_year_at_a_time_then_the_range_comes_back():
    steps, after = played((2008, 2011), 2013, "single")
    assert steps == [(2008, 2008), (2009, 2009), (2010, 2010), (2011, 2011)]
    assert after == (2008, 2011)


def test_a_growing_range_from_the_first_year():
    steps, after = played((2003, 2006), 2013, "growing")
    assert steps == [(2003, 2003), (2003, 2004), (2003, 2005), (2003, 2006)]
    assert after == (2003, 2006)


def test_a_single_chosen_year_plays_on_to_the_last_year():
    steps, after = played((2011, 2011), 2013, "single")
    assert steps == [(2011, 2011), (2012, 2012), (2013, 2013)]
    assert after == (2011, 2013)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode should be one of"):
        next_step((2003, 2003), (2003, 2005), "backwards")
