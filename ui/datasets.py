"""Your datasets on the data page: the list, rename, delete (to the trash, with Undo), the trash and
the audit log.

Every change names the dataset the page showed, by its id and version as they were when the page
was drawn (kept in the session: ``datasets_shown``), never by its position in a list: if someone
else renamed or deleted it meanwhile, the change does nothing and says so. The changes run in
button callbacks, before the page is drawn again, so the confirmation box and the choices are
cleared after each one and a second press cannot fall on another dataset.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo.export import formulas_neutralised
from geo.workspace import NAME_LIMIT, DatasetInfo, UnknownDataset, WorkspaceError, open_workspace
from ui.identity import current_actor, sign_in_button
from ui.text import plain

__all__ = ["dataset_section"]

UNDO_MINUTES = 10  # how long "Deleted X" offers Undo on the page (the trash keeps it until emptied)
LOG_ROWS = 200


def _shown() -> dict[str, tuple[str, int]]:
    """Name -> (id, version) of the datasets as the page last showed them."""
    return st.session_state.get("datasets_shown", {})


def _when(iso: str) -> str:
    """'2026-12-07 09:00 UTC' for an ISO time in UTC (as the stores write them); as given otherwise."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (TypeError, ValueError):
        return iso


def _forget_shown(name: str) -> None:
    """After a change, the old name is no longer a choice."""
    st.session_state.datasets_shown = {shown: kept for shown, kept in _shown().items() if shown != name}


def _say(kind: str, text: str) -> None:
    st.session_state.datasets_message = (kind, text)


def _clear(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def _change_shown(name: str | None, verb: str, change) -> DatasetInfo | None:
    """``change(workspace, dataset_id, version, actor)`` on the dataset the page showed as ``name``;
    None, with the reason said, when nothing was changed."""
    if not name:
        _say("warning", f"Choose the dataset to {verb}.")
        return None
    if name not in _shown():
        _say("error", f"“{name}” was deleted or changed meanwhile; nothing was changed.")
        return None
    dataset_id, version = _shown()[name]
    try:
        workspace = open_workspace()
        changed = change(workspace, dataset_id, version, current_actor(workspace.shared))
    except (ValueError, UnknownDataset, WorkspaceError) as error:
        _say("error", str(error))
        return None
    _forget_shown(name)
    return changed


def _rename() -> None:
    old, new = st.session_state.get("rename_old"), (st.session_state.get("rename_new") or "").strip()
    renamed = _change_shown(
        old,
        "rename",
        lambda workspace, dataset_id, version, actor: workspace.rename(
            old, new, dataset_id=dataset_id, version=version, by=actor
        ),
    )
    if renamed is not None:
        _say("success", f"Renamed “{old}” to “{renamed.name}”.")
        _clear("rename_old", "rename_new")


def _delete() -> None:
    doomed = st.session_state.get("delete_name")
    if not st.session_state.get("delete_sure"):
        _say("warning", "Tick the box to confirm.")
        return
    _clear("delete_sure", "delete_name")  # one confirmation, one dataset
    trashed = _change_shown(
        doomed,
        "delete",
        lambda workspace, dataset_id, version, actor: workspace.delete(
            doomed, dataset_id=dataset_id, version=version, by=actor
        ),
    )
    if trashed is not None:
        st.session_state.datasets_undo = (trashed.id, trashed.name, dt.datetime.now(dt.timezone.utc))
        _say(
            "success",
            f"Deleted “{trashed.name}” ({trashed.imported:,} events). It waits in the trash until the "
            "trash is emptied.",
        )


def _restore(dataset_id: str) -> None:
    try:
        workspace = open_workspace()
        info = workspace.restore(dataset_id, by=current_actor(workspace.shared))
    except WorkspaceError as error:
        _say("error", str(error))
        return
    st.session_state.pop("datasets_undo", None)
    _say("success", f"Restored “{info.name}” ({info.imported:,} events): its events are on the dashboard again.")


def _empty_trash() -> None:
    if not st.session_state.get("empty_trash_sure"):
        _say("warning", "Tick the box to confirm.")
        return
    _clear("empty_trash_sure")
    try:
        workspace = open_workspace()
        removed = workspace.empty_trash(by=current_actor(workspace.shared))
    except WorkspaceError as error:
        _say("error", str(error))
        return
    st.session_state.pop("datasets_undo", None)
    _say("success", f"Removed {removed:,} dataset{'s' if removed != 1 else ''} from the trash for good.")


def _message() -> None:
    said = st.session_state.pop("datasets_message", None)
    if said:
        kind, text = said
        getattr(st, kind)(plain(text))
    undo = st.session_state.get("datasets_undo")
    if undo:
        dataset_id, name, when = undo
        if dt.datetime.now(dt.timezone.utc) - when > dt.timedelta(minutes=UNDO_MINUTES):
            st.session_state.pop("datasets_undo")
        else:
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.caption(f"“{plain(name)}” is in the trash.")
            right.button(
                "Undo",
                key="datasets_undo_button",
                icon=":material/undo:",
                on_click=_restore,
                args=(dataset_id,),
                width="stretch",
            )


def _table(datasets: list[DatasetInfo]) -> None:
    # A table's own download writes CSV: a name that starts like a formula must not run in a spreadsheet.
    st.dataframe(
        formulas_neutralised(
            pd.DataFrame(
                [
                    {
                        "Name": d.name,
                        "Format": d.format,
                        "File": d.file_name,
                        "Imported": _when(d.imported_at),
                        "By": d.owner or "—",
                        "Rows read": d.read,
                        "Events": d.imported,
                        "Refused": d.refused,
                    }
                    for d in datasets
                ]
            )
        ),
        hide_index=True,
        width="stretch",
    )


def _change_forms(datasets: list[DatasetInfo], may_change: bool) -> None:
    # What the page showed stays a choice until the next change, so a dataset that went meanwhile
    # is named in the answer rather than replaced by another one.
    names = [d.name for d in datasets] + [name for name in _shown() if name not in {d.name for d in datasets}]
    left, right = st.columns(2)
    with left.form("rename_dataset", enter_to_submit=False):
        st.selectbox(
            "Rename", names, index=None, placeholder="Choose a dataset", key="rename_old", disabled=not may_change
        )
        st.text_input("New name", max_chars=NAME_LIMIT, key="rename_new", disabled=not may_change)
        st.form_submit_button("Rename", on_click=_rename, key="rename_go", disabled=not may_change)
    with right.form("delete_dataset", enter_to_submit=False):
        st.selectbox(
            "Delete", names, index=None, placeholder="Choose a dataset", key="delete_name", disabled=not may_change
        )
        st.checkbox("Yes, move it to the trash", key="delete_sure", disabled=not may_change)
        st.form_submit_button("Delete", on_click=_delete, key="delete_go", disabled=not may_change)


def _trash(workspace) -> None:
    trashed = workspace.trash()
    with st.expander(f"Trash ({len(trashed)})", icon=":material/delete:"):
        if not trashed:
            st.caption("Deleted datasets wait here until the trash is emptied.")
            return
        for info in trashed:
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(
                f"**{plain(info.name)}**: {info.imported:,} events, deleted {plain(_when(info.deleted_at))}"
                f" by {plain(info.deleted_by or 'nobody known')}"
            )
            right.button("Restore", key=f"restore_{info.id}", on_click=_restore, args=(info.id,), width="stretch")
        with st.form("empty_trash", enter_to_submit=False):
            st.checkbox("Yes, remove them for good", key="empty_trash_sure")
            st.form_submit_button("Empty the trash", on_click=_empty_trash, key="empty_trash_go")


def _audit_log(workspace) -> None:
    with st.expander("Audit log", icon=":material/history:"):
        log = workspace.audit_log(LOG_ROWS)
        if not log:
            st.caption("Every import, rename, delete and restore is written here.")
            return
        st.dataframe(
            formulas_neutralised(
                pd.DataFrame(
                    [
                        {
                            "When": _when(entry.at),
                            "Who": entry.who or "nobody known",
                            "What": entry.action,
                            "Dataset": entry.dataset,
                            "Id": entry.dataset_id,
                            "Events": entry.events,
                            "Outcome": entry.outcome,
                        }
                        for entry in log
                    ]
                )
            ),
            hide_index=True,
            width="stretch",
        )


def dataset_section() -> None:
    st.header("Your datasets")
    try:
        workspace = open_workspace()
        datasets = workspace.datasets()
        actor = current_actor(workspace.shared)
    except WorkspaceError as error:
        st.error(f"The workspace could not be read: {plain(error)}")
        return
    if workspace.shared:
        st.caption(
            "Kept in the team's shared PostGIS database: everyone using it sees these datasets, and an "
            "import shows for all at their next step. Each dataset is changed only by who imported it, "
            "or an admin."
        )
        if actor.known:
            st.caption(f"You are {plain(actor.name)}{' (an admin)' if actor.admin else ''}.")
        else:
            st.info(
                "Nobody is signed in, so this team workspace is read-only here: you can see and use every "
                "dataset, but not import, rename or delete."
            )
        sign_in_button()
    else:
        # Where the file lies on the server is not every visitor's business: `geo workspace path` says.
        st.caption("Kept in your workspace (a GeoPackage QGIS opens as it is).")
    _message()
    if datasets:
        _table(datasets)
        _change_forms(datasets, may_change=actor.known or not workspace.shared)
    else:
        st.info("No datasets yet.")
    st.session_state.datasets_shown = {d.name: (d.id, d.version) for d in datasets}
    _trash(workspace)
    _audit_log(workspace)
