"""The dashboard's choices that decide what a map view draws."""

from __future__ import annotations

from ui.state import DashboardState

__all__ = ["boundary_year"]


def boundary_year(state: DashboardState) -> int:
    """The year whose boundaries are drawn: the one the user picked, else the last year shown."""
    return state.boundary_year if state.boundary_year is not None else state.year_to
