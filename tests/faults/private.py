"""PRIVATE PostgreSQL and Redis instances for fault tests, on free ports in a temp dir.

The machine's shared PostgreSQL (5432) and Redis (6379) serve other engineers and CI: fault
tests never stop them. They start their own servers here and stop, kill or restart those.
As root, PostgreSQL runs as the `postgres` OS user (runuser), in a directory it owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what}")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- Redis ---------------------------------------------------------------------------------


def redis_binary() -> str | None:
    return shutil.which("redis-server")


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pep-redis-"))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self) -> None:
        subprocess.run(
            [
                redis_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.dir / "redis.pid"),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            check=True,
        )
        wait_until(lambda: port_open(self.port), 10, "the private Redis to listen")

    def stop(self) -> None:
        """SIGKILL this instance only (by its pid file): an outage, nothing saved."""
        pidfile = self.dir / "redis.pid"
        if pidfile.exists():
            pid = int(pidfile.read_text().strip())
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
            pidfile.unlink(missing_ok=True)
        wait_until(lambda: not port_open(self.port), 10, "the private Redis to stop")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return str(Path(found[-1]).parent) if found else None


def can_run_postgres() -> tuple[bool, str]:
    if pg_bin_dir() is None:
        return False, "no /usr/lib/postgresql/*/bin/initdb"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return False, "running as root without a `postgres` OS user"
        if shutil.which("runuser") is None:
            return False, "runuser is missing"
    return True, ""


class PrivatePostgres:
    """initdb + pg_ctl on a free port; trust authentication on loopback only."""

    def __init__(self) -> None:
        self.bin = pg_bin_dir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="pep-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            os.chmod(self.root, 0o700)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.start()

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [f"{self.bin}/{tool}", *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    @property
    def options(self) -> str:
        return f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self.options, "-w", "start"
        )

    def restart(self) -> None:
        """A fast restart (every connection is cut), as an upgrade or a failover does."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self.options,
            "-m",
            "fast",
            "-w",
            "restart",
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def createdb(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def close(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
