"""Play through time, step by step, without a page: what the map shows and what comes back at the end."""

import pytest

from view.playback import windows


def test_one_step_at_a_time_within_the_chosen_range():
    assert windows((5, 8), 10, "one") == [(5, 5), (6, 6), (7, 7), (8, 8)]


def test_a_growing_range_starts_at_the_first_step():
    assert windows((0, 3), 10, "growing") == [(0, 0), (0, 1), (0, 2), (0, 3)]


def test_a_single_chosen_step_plays_on_to_the_last():
    assert windows((8, 8), 10, "one") == [(8, 8), (9, 9), (10, 10)]


def test_a_sliding_window_keeps_its_width_to_the_last_step():
    assert windows((2, 4), 6, "sliding") == [(2, 4), (3, 5), (4, 6)]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode should be one of"):
        windows((0, 1), 3, "backwards")
