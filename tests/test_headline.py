"""The dashboard's headline and its tables' clicks, without a page."""

from __future__ import annotations

from geo.filters import EventFilter
from ui.headline import reports_filter
from ui.table_picks import picked_row


def test_the_reports_years_stop_at_the_reports_last_year():
    assert reports_filter(EventFilter(year_from=None, year_to=2020), 2013).describe() == "up to 2013"
    assert reports_filter(EventFilter(year_from=2008, year_to=2020), 2013).describe() == "2008–2013"
    assert reports_filter(EventFilter(year_from=2008, year_to=2010), 2013).describe() == "2008–2010"
    # A range wholly after the reports says so: the reports have nothing there.
    assert reports_filter(EventFilter(year_from=2016, year_to=2020), 2013).describe() == "2016–2020"


def test_a_row_picked_or_any_cell_clicked_points_at_the_row():
    assert picked_row({"rows": [3], "cells": []}) == 3
    assert picked_row({"rows": [], "cells": [[5, "Title"]]}) == 5
    assert picked_row({"rows": [], "cells": []}) is None
    assert picked_row({}) is None
