"""What the server keeps for every session (ui/dashboard_map.py) stays as the filters made it.

The reports' events of a filter, the view of a range and the map's layers are built once and
shared by every session; a session that uses the page (a mark picked, the tabs opened, the range
changed on the map) must not change what the next one is shown.
"""

import pandas as pd

from geo.filters import EventFilter, events_matching, with_earlier_background
from tests.apptest import map_args, run
from tests.test_app import _lift_hand, drawn_events, expected, summary_count
from ui import dashboard_map, time_slider

TABS = ["Events", "Events per year", "Groups over time", "Kidnapping economy", "Disagreements", "Areas and distances"]


def test_one_sessions_use_of_the_page_leaves_the_shared_answers_as_they_were(atlas):
    years, groups = (2008, 2010), ["aqim"]
    first_year = int(atlas.events["year_start"].min())
    user_filter = EventFilter(year_from=2008, year_to=2010, groups=("aqim",), include_related=True)
    map_filter = time_slider.every_year(with_earlier_background(user_filter, min(first_year, 2003)))

    first = run(years=years, groups=groups)
    event_id = next(iter(events_matching(atlas.events, user_filter, atlas.groups)["id"]))
    first.session_state["selected"] = f"event:{event_id}"
    first.run()
    for tab in TABS:
        first.session_state["below_map"] = tab
        first.run()
        assert not first.exception, (tab, first.exception)
    _lift_hand(first, (2009, 2010), at=7)
    assert summary_count(first) == expected(atlas, year_from=2009, year_to=2010, groups=("aqim",), include_related=True)

    second = run(years=years, groups=groups)
    count = expected(atlas, year_from=2008, year_to=2010, groups=("aqim",), include_related=True)
    assert summary_count(second) == drawn_events(second) == count > 0
    assert '"selected": true' in (map_args(first)["feature_group"] or "")  # the first picked a mark
    assert '"selected": true' not in (map_args(second)["feature_group"] or "")  # the second did not
    kept = dashboard_map.curated_events(map_filter)
    pd.testing.assert_frame_equal(kept, events_matching(atlas.events, map_filter, atlas.groups))
