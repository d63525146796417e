"""The GeoPackage workspace's trash, audit log and kept documents (mixed into
:class:`geo.workspace.gpkg.Workspace`, which gives ``_change``, ``_change_datasets``,
``_taken``, ``_rename_layer`` and ``shared``)."""

from __future__ import annotations

import dataclasses

from geo.workspace.base import (
    AuditEntry,
    DatasetChanged,
    DatasetInfo,
    check_allowed,
    now_utc,
    removable_from_trash,
    restored_name,
)
from geo.workspace.gpkg_tables import closing, compact, connect, drop_layer, read_audit, write_audit
from geo.workspace.identity import Actor, command_line_actor

__all__ = ["TrashAndLog"]


class TrashAndLog:
    """Restore, empty the trash, read the audit log and a dataset's document."""

    def restore(self, dataset_id: str, *, by: Actor | None = None) -> DatasetInfo:
        """Bring a dataset back from the trash; if its name was taken meanwhile it comes back as
        "<name> (restored)". The dataset as it is now."""
        by = command_line_actor() if by is None else by
        with self._change() as temp:
            infos = self._change_datasets(temp)
            current = next((info for info in infos if info.id == dataset_id and info.in_trash), None)
            if current is None:
                raise DatasetChanged("that dataset is no longer in the trash; nothing was changed")
            check_allowed(by, current, self.shared, "restore")
            name = restored_name(current.name, [info for info in infos if not info.in_trash], self._taken)
            now = now_utc()
            restored = dataclasses.replace(
                current, name=name, deleted_at="", deleted_by="", version=current.version + 1, changed_at=now
            )
            with closing(connect(temp)) as connection:
                if name != current.name:
                    self._rename_layer(connection, current, name)
                connection.execute(
                    "UPDATE datasets SET name = ?, deleted_at = '', deleted_by = '', version = ?, "
                    "changed_at = ? WHERE dataset_id = ?",
                    (name, restored.version, now, current.id),
                )
                write_audit(
                    connection,
                    AuditEntry(now, by.name, "restore", current.id, name, "from the trash", current.imported, "done"),
                )
                connection.commit()
        return restored

    def empty_trash(self, *, dataset_ids: list[str] | None = None, by: Actor | None = None) -> int:
        """Remove for good the datasets in the trash (those of ``dataset_ids``, or all that ``by`` may
        remove); how many were removed."""
        by = command_line_actor() if by is None else by
        with self._change() as temp:
            doomed = removable_from_trash(self._change_datasets(temp), dataset_ids, by, self.shared)
            now = now_utc()
            with closing(connect(temp)) as connection:
                for info in doomed:
                    drop_layer(connection, info.layer)
                    connection.execute("DELETE FROM datasets WHERE dataset_id = ?", (info.id,))
                    write_audit(
                        connection,
                        AuditEntry(
                            now,
                            by.name,
                            "purge",
                            info.id,
                            info.name,
                            "removed from the trash for good",
                            info.imported,
                            "done",
                        ),
                    )
                connection.commit()
                compact(connection)
        return len(doomed)

    def audit_log(self, limit: int = 500) -> list[AuditEntry]:
        """The newest changes first: who, what, when, the dataset's id and its events."""
        if self._version() is None:
            return []
        with closing(connect(self.path, read_only=True)) as connection:
            return read_audit(connection, limit)

    def document(self, name: str) -> str | None:
        """The text a dataset's events were read from (a report), or None."""
        info = self.dataset(name)
        with closing(connect(self.path, read_only=True)) as connection:
            if "document" not in {row[1] for row in connection.execute("PRAGMA table_info(datasets)")}:
                return None
            (text,) = connection.execute("SELECT document FROM datasets WHERE layer = ?", (info.layer,)).fetchone()
        return text
