"""The PostGIS workspace's changes: imports, renames, the trash, the audit log and kept documents
(mixed into :class:`geo.workspace.postgis.PostgisWorkspace`, which gives ``_connection``,
``_all_infos``, ``_infos``, ``dataset`` and ``shared``).

Every change is one transaction that bumps the store's generation; a change refused (not the
owner, nobody known, changed meanwhile) is written in the audit log all the same.
"""

from __future__ import annotations

import dataclasses
import zlib
from contextlib import contextmanager
from typing import Iterator

from geo.workspace.base import (
    AuditEntry,
    DatasetChanged,
    DatasetInfo,
    NotAllowed,
    WorkspaceError,
    check_allowed,
    check_expected,
    check_may_import,
    check_name,
    id_prefixes,
    now_utc,
    removable_from_trash,
    renamed_events,
    restored_name,
    stored_frame,
)
from geo.workspace.identity import Actor, command_line_actor
from geo.workspace.postgis_tables import NAME_LOCKS, SCHEMA, copy_events, event_records, jsonb, postgres_text

__all__ = ["PostgisChanges"]


class PostgisChanges:
    """Import, rename, delete (to the trash), restore, empty the trash; the audit log; documents."""

    # --- writing ----------------------------------------------------------------------------------

    @contextmanager
    def _change(self, *names: str) -> Iterator:
        """One transaction, holding the locks of ``names`` (case-folded), that bumps the generation."""
        with self._connection() as connection:
            with connection.transaction():
                for key in sorted({name.casefold() for name in names}):  # always in one order: no deadlock
                    connection.execute(
                        "SELECT pg_advisory_xact_lock(%s, %s)", (NAME_LOCKS, zlib.crc32(key.encode()) - 2**31)
                    )
                yield connection
                # Last, so that concurrent writers wait on this row only for a moment.
                connection.execute(f"UPDATE {SCHEMA}.store SET generation = generation + 1")

    def _analyze(self) -> None:
        """Fresh statistics after a bulk load, so the planner picks the indexes (autovacuum would come
        later); after the commit, so concurrent imports do not wait for each other's."""
        import psycopg

        try:
            with self._connection() as connection:
                connection.execute(f"ANALYZE {SCHEMA}.events")
        except (psycopg.Error, WorkspaceError):
            pass  # only the planner's estimates are older

    @staticmethod
    def _taken(connection, name: str, apart_from: str | None = None):
        found = connection.execute(
            f"SELECT id, name FROM {SCHEMA}.datasets WHERE name_key = %s AND deleted_at = ''", (name.casefold(),)
        ).fetchone()
        if found is None or found[1] == apart_from:
            return None
        return found

    def _log(self, connection, entry: AuditEntry) -> None:
        connection.execute(
            f"INSERT INTO {SCHEMA}.audit_log (at, who, action, dataset_id, dataset, detail, events, "
            "outcome) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                entry.at,
                entry.who,
                entry.action,
                entry.dataset_id,
                entry.dataset,
                entry.detail,
                int(entry.events),
                entry.outcome,
            ),
        )

    @contextmanager
    def _refusals_logged(self, by: Actor, action: str, dataset_id: str, name: str) -> Iterator:
        """A change that, when refused (not allowed, or changed meanwhile), is written in the audit log
        all the same, in its own transaction: the change's own was rolled back."""
        try:
            yield
        except (NotAllowed, DatasetChanged) as refusal:
            with self._connection() as connection:
                self._log(
                    connection,
                    AuditEntry(now_utc(), by.name, action, dataset_id or "", name, "", 0, f"refused: {refusal}"),
                )
            raise

    def _current(self, connection, name: str, dataset_id: str | None, version: int | None) -> DatasetInfo:
        """The dataset a change names, its row locked: by id (and version) when given, else by its name."""
        if dataset_id is not None:
            number = int(dataset_id) if str(dataset_id).isdigit() else -1
            connection.execute(f"SELECT 1 FROM {SCHEMA}.datasets WHERE id = %s FOR UPDATE", (number,))
            found = next((info for info in self._all_infos(connection) if info.id == str(dataset_id)), None)
            return check_expected(found, name, version)
        live = self._infos(connection)
        current = next((info for info in live if info.name == name), None)
        if current is None:
            raise self.unknown_dataset(name, [info.name for info in live])
        connection.execute(f"SELECT 1 FROM {SCHEMA}.datasets WHERE id = %s FOR UPDATE", (int(current.id),))
        return check_expected(current, name, version)

    def save_dataset(
        self,
        name: str,
        result,
        file_name: str,
        format: str,
        replace: bool = False,
        *,
        document: str | None = None,
        by: Actor | None = None,
    ) -> DatasetInfo:
        """Store an :class:`ImportResult` as dataset ``name`` in one transaction; a name in use raises
        ``ValueError`` unless ``replace`` (then the old dataset goes to the trash, if ``by`` may)."""
        by = command_line_actor() if by is None else by
        name = check_name(name)
        with self._refusals_logged(by, "import", "", name):
            check_may_import(by, self.shared)
        events = renamed_events(result.events, name)
        stored = stored_frame(events)  # before the transaction: others wait less
        records = event_records(stored, events)
        now = now_utc()
        refused = [[refusal.row, refusal.reason] for refusal in result.refused]
        with self._refusals_logged(by, "replace", "", name), self._change(name) as connection:
            old = self._taken(connection, name)
            if old is not None and not replace:
                raise ValueError(
                    f"a dataset named {old[1]!r} is already in the workspace; choose another name, or replace it"
                )
            if old is not None:
                replaced = self._current(connection, old[1], str(old[0]), None)
                check_allowed(by, replaced, self.shared, "replace")
                self._to_trash(connection, replaced, by, now)
            (number,) = connection.execute(
                f"INSERT INTO {SCHEMA}.datasets (name, name_key, file_name, format, imported_at, rows_read, "
                "imported, refused, problems, refused_rows, imported_by, changed_at, document) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    name,
                    name.casefold(),
                    str(file_name or ""),
                    str(format or ""),
                    now,
                    int(result.read),
                    len(stored),
                    len(result.refused),
                    jsonb(list(result.problems)),
                    jsonb(refused),
                    by.name,
                    now,
                    None if document is None else postgres_text(document),
                ),
            ).fetchone()
            copy_events(connection, number, records)
            self._log(
                connection,
                AuditEntry(
                    now,
                    by.name,
                    "replace" if old is not None else "import",
                    str(number),
                    name,
                    f"from {file_name or 'a file'} ({format})",
                    len(stored),
                    "done",
                ),
            )
        self._analyze()
        return DatasetInfo(
            name=name,
            file_name=str(file_name or ""),
            format=str(format or ""),
            imported_at=now,
            read=int(result.read),
            imported=len(stored),
            refused=len(result.refused),
            layer=f"{SCHEMA}.events:{number}",
            problems=tuple(result.problems),
            id=str(number),
            owner=by.name,
            changed_at=now,
        )

    def _rename_events(self, connection, current: DatasetInfo, new: str) -> None:
        cases, parameters = "", []
        for old_prefix, new_prefix in id_prefixes(current.name, new):
            cases += " WHEN left(id, %s) = %s THEN %s || substr(id, %s)"
            parameters += [len(old_prefix), old_prefix, new_prefix, len(old_prefix) + 1]
        if cases:
            connection.execute(
                f"UPDATE {SCHEMA}.events SET id = CASE{cases} ELSE id END WHERE dataset_id = %s",
                parameters + [int(current.id)],
            )

    def rename(
        self, old: str, new: str, *, dataset_id: str | None = None, version: int | None = None, by: Actor | None = None
    ) -> DatasetInfo:
        """Rename a dataset: its row and the ``<dataset>:`` start of its events' ids, in one transaction.
        With ``dataset_id`` (and ``version``), only if it is still the dataset named ``old``."""
        by = command_line_actor() if by is None else by
        new = check_name(new)
        with self._refusals_logged(by, "rename", dataset_id, old), self._change(old, new) as connection:
            current = self._current(connection, old, dataset_id, version)
            check_allowed(by, current, self.shared, "rename")
            taken = self._taken(connection, new, apart_from=old)
            if taken is not None:
                raise ValueError(
                    f"cannot rename {old!r} to {new!r}: a dataset named {taken[1]!r} is already in the workspace"
                )
            self._rename_events(connection, current, new)
            now = now_utc()
            connection.execute(
                f"UPDATE {SCHEMA}.datasets SET name = %s, name_key = %s, version = version + 1, "
                "changed_at = %s WHERE id = %s",
                (new, new.casefold(), now, int(current.id)),
            )
            self._log(
                connection,
                AuditEntry(now, by.name, "rename", current.id, new, f"from “{old}”", current.imported, "done"),
            )
        return dataclasses.replace(current, name=new, version=current.version + 1, changed_at=now)

    @staticmethod
    def _to_trash(connection, info: DatasetInfo, by: Actor, now: str) -> None:
        connection.execute(
            f"UPDATE {SCHEMA}.datasets SET deleted_at = %s, deleted_by = %s, version = version + 1 WHERE id = %s",
            (now, by.name, int(info.id)),
        )

    def delete(
        self, name: str, *, dataset_id: str | None = None, version: int | None = None, by: Actor | None = None
    ) -> DatasetInfo:
        """Move a dataset to the trash (its events leave the map until :meth:`restore`), in one transaction.
        With ``dataset_id`` (and ``version``), only if it is still the dataset named ``name``."""
        by = command_line_actor() if by is None else by
        with self._refusals_logged(by, "delete", dataset_id, name), self._change(name) as connection:
            current = self._current(connection, name, dataset_id, version)
            check_allowed(by, current, self.shared, "delete")
            now = now_utc()
            self._to_trash(connection, current, by, now)
            self._log(
                connection,
                AuditEntry(now, by.name, "delete", current.id, current.name, "to the trash", current.imported, "done"),
            )
        return dataclasses.replace(current, deleted_at=now, deleted_by=by.name, version=current.version + 1)

    def restore(self, dataset_id: str, *, by: Actor | None = None) -> DatasetInfo:
        """Bring a dataset back from the trash, as "<name> (restored)" if its name was taken meanwhile."""
        by = command_line_actor() if by is None else by
        with self._refusals_logged(by, "restore", dataset_id, ""), self._change() as connection:
            number = int(dataset_id) if str(dataset_id).isdigit() else -1
            connection.execute(f"SELECT 1 FROM {SCHEMA}.datasets WHERE id = %s FOR UPDATE", (number,))
            current = next(
                (info for info in self._all_infos(connection) if info.id == str(dataset_id) and info.in_trash), None
            )
            if current is None:
                raise DatasetChanged("that dataset is no longer in the trash; nothing was changed")
            check_allowed(by, current, self.shared, "restore")
            # Restores take turns, so two cannot both take the same free name.
            connection.execute("SELECT pg_advisory_xact_lock(%s, 0)", (NAME_LOCKS,))
            name = restored_name(current.name, [], lambda candidate, _: self._taken(connection, candidate))
            self._rename_events(connection, current, name)
            now = now_utc()
            connection.execute(
                f"UPDATE {SCHEMA}.datasets SET name = %s, name_key = %s, deleted_at = '', "
                "deleted_by = '', version = version + 1, changed_at = %s WHERE id = %s",
                (name, name.casefold(), now, number),
            )
            self._log(
                connection,
                AuditEntry(now, by.name, "restore", current.id, name, "from the trash", current.imported, "done"),
            )
        return dataclasses.replace(
            current, name=name, deleted_at="", deleted_by="", version=current.version + 1, changed_at=now
        )

    def empty_trash(self, *, dataset_ids: list[str] | None = None, by: Actor | None = None) -> int:
        """Remove for good the datasets in the trash (those of ``dataset_ids``, or all that ``by`` may
        remove) and their events; how many were removed."""
        by = command_line_actor() if by is None else by
        with self._change() as connection:
            doomed = removable_from_trash(self._all_infos(connection), dataset_ids, by, self.shared)
            now = now_utc()
            for info in doomed:
                connection.execute(f"DELETE FROM {SCHEMA}.datasets WHERE id = %s AND deleted_at <> ''", (int(info.id),))
                self._log(
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
        return len(doomed)

    def audit_log(self, limit: int = 500) -> list[AuditEntry]:
        """The newest changes first, refused ones too: who, what, when, the dataset's id and its events."""
        with self._snapshot() as connection:
            rows = connection.execute(
                f"SELECT at, who, action, dataset_id, dataset, detail, events, outcome "
                f"FROM {SCHEMA}.audit_log ORDER BY id DESC LIMIT %s",
                (int(limit),),
            ).fetchall()
        return [AuditEntry(*row) for row in rows]

    def document(self, name: str) -> str | None:
        """The text a dataset's events were read from (a report), or None."""
        info = self.dataset(name)
        with self._snapshot() as connection:
            (text,) = connection.execute(
                f"SELECT document FROM {SCHEMA}.datasets WHERE id = %s", (int(info.id),)
            ).fetchone()
        return text
