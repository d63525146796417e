"""What the chart tables share: missing values, dates, display names."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from geo.catalog import Atlas

__all__ = ["is_missing", "as_date", "group_names", "people_names"]


def is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def as_date(value) -> dt.date | None:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def group_names(atlas: Atlas) -> dict[str, str]:
    """Display names as the app gives them: the short name where there is one."""
    return {
        row.id: (row.short_name if isinstance(row.short_name, str) else row.name)
        for row in atlas.groups.itertuples(index=False)
    }


def people_names(atlas: Atlas) -> dict[str, str]:
    return dict(zip(atlas.people["id"], atlas.people["name"]))
