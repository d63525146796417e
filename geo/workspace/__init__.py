"""The workspace: datasets a user imported, kept beside the curated data and never mixed into it.

Two stores with one interface: a GeoPackage file for one user (:class:`Workspace`, in
:mod:`geo.workspace.gpkg`), or a PostgreSQL/PostGIS database a team shares
(:class:`geo.workspace.postgis.PostgisWorkspace`, when ``$SAHEL_ATLAS_DATABASE_URL`` is set);
:func:`open_workspace` picks the one in use. What both share is in :mod:`geo.workspace.base`,
and the dashboard's filter queries in :mod:`geo.workspace.plan`.
"""

from __future__ import annotations

import os

from geo.workspace.base import (
    DATABASE_VARIABLE,
    NAME_LIMIT,
    WORKSPACE_VARIABLE,
    AuditEntry,
    DatasetChanged,
    DatasetInfo,
    NotAllowed,
    UnknownDataset,
    WorkspaceError,
    default_path,
    forget_reads,
)
from geo.workspace.gpkg import Workspace
from geo.workspace.identity import Actor, actor_from_request, command_line_actor
from geo.workspace.plan import SHOWN_COLUMNS

__all__ = [
    "WORKSPACE_VARIABLE",
    "DATABASE_VARIABLE",
    "NAME_LIMIT",
    "SHOWN_COLUMNS",
    "WorkspaceError",
    "UnknownDataset",
    "DatasetChanged",
    "NotAllowed",
    "AuditEntry",
    "Actor",
    "actor_from_request",
    "command_line_actor",
    "DatasetInfo",
    "Workspace",
    "default_path",
    "open_workspace",
    "forget_reads",
]


def open_workspace():
    """The store of imported datasets: PostgreSQL/PostGIS when ``$SAHEL_ATLAS_DATABASE_URL`` is set,
    else the GeoPackage file (:meth:`Workspace.default`). A bad address is a :class:`WorkspaceError`."""
    url = os.environ.get(DATABASE_VARIABLE, "").strip()
    if not url:
        return Workspace.default()
    try:
        from geo.workspace.postgis import PostgisWorkspace
    except ImportError as error:
        raise WorkspaceError(
            f"{DATABASE_VARIABLE} is set, but the PostgreSQL driver is missing ({error}); "
            "install the project again (pip install -e .)"
        ) from error
    return PostgisWorkspace(url)
