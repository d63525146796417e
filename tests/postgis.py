"""A throwaway PostgreSQL server with PostGIS for the tests: Debian's ``postgresql`` and
``postgresql-15-postgis-3`` (installed by ``./atlas test``), run from a temporary folder.

The server listens only on a unix socket in that folder (no port to collide with), runs as the
``postgres`` user when the tests run as root (initdb refuses root), and trusts local connections.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
PORT = 5999  # only names the socket file: the server listens on no TCP port


class PostgisServer:
    def __init__(self):
        self.folder: Path | None = None
        self._databases = 0

    @staticmethod
    def missing() -> str | None:
        """Why no server can run here, or None."""
        for tool in ("initdb", "pg_ctl", "postgres"):
            if not (BIN / tool).is_file():
                return f"PostgreSQL 15 is not installed ({BIN / tool} not found; apt-get install postgresql)"
        if not Path("/usr/share/postgresql/15/extension/postgis.control").is_file():
            return "PostGIS is not installed for PostgreSQL 15 (apt-get install postgresql-15-postgis-3)"
        return None

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(prefix + list(command), capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="sahel-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        done = self._run(
            str(BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        options = (
            f"-k {self.folder} -p {PORT} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=40 -c shared_buffers=32MB"
        )
        done = self._run(
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "-t",
            "30",
            "start",
        )
        if done.returncode:
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr or done.stdout}\n{self.log()}")
        self.sql("postgres", "CREATE DATABASE sahel_template")
        self.sql("sahel_template", "CREATE EXTENSION postgis")

    def log(self) -> str:
        try:
            return (self.folder / "log").read_text()[-2000:]
        except OSError:
            return ""

    def url(self, database: str, password: str = "not-needed") -> str:
        # The socket folder as the host; the password shows that messages never print it.
        return f"postgresql://postgres:{password}@/{database}?host={self.folder}&port={PORT}"

    def sql(self, database: str, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def new_database(self) -> str:
        """A fresh database with PostGIS in it, and its address."""
        self._databases += 1
        name = f"sahel_{self._databases}"
        self.sql("postgres", f"CREATE DATABASE {name} TEMPLATE sahel_template STRATEGY FILE_COPY")
        return self.url(name)

    def stop(self) -> None:
        if self.folder is None:
            return
        self._run(str(BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        for _ in range(50):
            if not (self.folder / "data" / "postmaster.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
