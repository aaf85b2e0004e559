"""Real gunicorn servers on temporary instances, shared by tests/faults and the HTTP benchmarks.

``Instance`` is an instance folder prepared exactly as an operator would: ``cadreflow
init``, ``cadreflow users add``, ``cadreflow tokens create``, each a subprocess with only
this instance's ``CADREFLOW_*`` variables (the caller's are dropped, so a developer's
shell can never point a test at a real database). Its database is the SQLite file in
the folder (WAL, ``synchronous=FULL``: the app's default, never weakened here) or a
dedicated PostgreSQL database (``PgDatabase``) that the caller creates and drops.

``Server`` runs gunicorn in its own process group, so ``kill()`` can SIGKILL the
master and every worker at once, and ``start()`` can bring it back on the same port
and database. ``Client`` is a small JSON client over one persistent ``http.client``
connection; ``Browser`` signs in through /login and posts forms with the CSRF token.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.parse import urlencode

BIN = Path(sys.executable).parent
PASSWORD = "cadreflow-test-密码"
READY_TIMEOUT = 60.0


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else name


class ServerError(RuntimeError):
    pass


@dataclass
class PgDatabase:
    """A dedicated PostgreSQL database on the server of ``base_url``, created and dropped here."""

    base_url: str
    name: str = field(default_factory=lambda: f"cadreflow_faults_{os.getpid()}_{uuid.uuid4().hex[:8]}")

    @property
    def url(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.base_url).set(database=self.name).render_as_string(hide_password=False)

    @property
    def libpq(self) -> str:
        """The database as a libpq URI (for psql, pg_dump, pg_restore)."""
        from sqlalchemy.engine import make_url

        u = make_url(self.base_url)
        auth = quote(u.username or "", safe="") + (f":{quote(u.password, safe='')}" if u.password else "")
        return f"postgresql://{auth}{'@' if auth else ''}{u.host or ''}{f':{u.port}' if u.port else ''}/{self.name}"

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy import text

        admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(sql))
        finally:
            admin.dispose()

    def create(self, template: PgDatabase | None = None) -> PgDatabase:
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"' + (f' TEMPLATE "{template.name}"' if template else ""))
        return self

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@dataclass
class Instance:
    """An instance folder; ``database_url`` None means the SQLite file inside it."""

    folder: Path
    database_url: str | None = None
    settings: dict[str, str] = field(default_factory=dict)  # CADREFLOW_* for the server and the CLI

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.folder / 'cadreflow.db'}"

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.database_url else self.folder / "cadreflow.db"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CADREFLOW_")}
        env["CADREFLOW_INSTANCE"] = str(self.folder)
        if self.database_url:
            env["CADREFLOW_DATABASE_URL"] = self.database_url
        env.update(self.settings)
        env.update(extra)
        return env

    def cli(self, *args: str, stdin: str | None = None, check: bool = True,
            env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run ``cadreflow ARGS`` on this instance (``subprocess.TimeoutExpired`` after ``timeout``)."""
        proc = subprocess.run([_tool("cadreflow"), *args], input=stdin, capture_output=True, text=True,
                              env=env or self.env(), timeout=timeout, check=False)
        if check and proc.returncode != 0:
            raise ServerError(f"cadreflow {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
        return proc

    def init(self) -> Instance:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.cli("init")
        return self

    def add_user(self, username: str, roles: list[str], name: str = "") -> None:
        args = ["users", "add", username, *(a for r in roles for a in ("--role", r)),
                "--name", name or username, "--password-stdin"]
        self.cli(*args, stdin=PASSWORD + "\n")

    def token(self, username: str) -> str:
        return self.cli("tokens", "create", username).stdout.strip()

    def verify(self, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.cli("verify", check=False, env=env)

    def engine(self, url: str | None = None) -> Any:
        """An engine on this instance's database (or ``url``, e.g. a restored backup), with its secret."""
        from web.config import AppConfig
        from workflow import Engine

        secret = (self.folder / "secret.key").read_text(encoding="utf-8").strip()
        return Engine(AppConfig(self.folder, url or self.url, secret).settings())

    def copy_to(self, folder: Path, database_url: str | None = None) -> Instance:
        """A copy of this (stopped, prepared) instance: the key file and, on SQLite, the database."""
        import shutil

        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.folder / "secret.key", folder / "secret.key")
        if self.sqlite_path is not None and database_url is None:
            shutil.copy2(self.sqlite_path, folder / "cadreflow.db")
        return Instance(folder, database_url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn serving ``web:create_app()`` for one instance, in its own process group."""

    def __init__(self, instance: Instance, workers: int = 2, worker_class: str = "sync", threads: int = 1,
                 port: int | None = None, timeout: int = 60) -> None:
        self.instance = instance
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.port = port or free_port()
        self.timeout = timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = instance.folder / "gunicorn.log"
        self.starts = 0

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [_tool("gunicorn"), "--bind", self.host, "--workers", str(self.workers),
               "--worker-class", self.worker_class, "--timeout", str(self.timeout), "--graceful-timeout", "5",
               "--no-control-socket", "--log-level", "warning"]
        if self.worker_class == "gthread":
            cmd += ["--threads", str(self.threads)]
        return [*cmd, "web:create_app()"]

    def start(self) -> Server:
        if self.proc is not None and self.proc.poll() is None:
            raise ServerError("already running")
        log = open(self.log_path, "ab")  # noqa: SIM115 (handed to the child)
        log.write(f"--- start {self.starts + 1}: {' '.join(self.command())}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(self.command(), env=self.instance.env(), stdout=log, stderr=log,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     cwd=str(self.instance.folder))
        log.close()
        self.starts += 1
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until every worker is up and one of them answers (401 from /api/v1/me without a token)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise ServerError(f"gunicorn exited {self.proc.returncode}:\n{self.log_tail()}")
            if len(self.worker_pids()) >= self.workers:
                conn = http.client.HTTPConnection(self.host, timeout=5)
                try:
                    conn.request("GET", "/api/v1/me")
                    if conn.getresponse().status == 401:
                        return
                except OSError:
                    pass
                finally:
                    conn.close()
            time.sleep(0.05)
        raise ServerError(f"gunicorn not ready after {timeout:.0f} s:\n{self.log_tail()}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def kill(self) -> list[int]:
        """SIGKILL the master and every worker (the whole process group); return the pids killed."""
        assert self.proc is not None
        victims = [self.pid, *self.worker_pids()]
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        _wait_gone(victims[1:])
        return victims

    def stop(self) -> None:
        """Graceful stop (SIGTERM), then SIGKILL for whatever is left in the group."""
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = self.worker_pids()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        _wait_gone(workers)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_errors(self) -> list[str]:
        """Lines of the log that report an application error (a traceback, an ERROR line)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line
                or line.startswith("ERROR:")]

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_gone(pids: list[int], timeout: float = 10.0) -> None:
    """Until none of ``pids`` runs any more (gone, or a zombie waiting for its reaper)."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                break
            if state in ("Z", "X"):
                break
            time.sleep(0.02)


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB (from /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ServerError(f"no VmRSS for {pid}")


class Client:
    """JSON over one persistent HTTP/1.1 connection (reopened after the server closes it)."""

    def __init__(self, host: str, token: str | None = None, timeout: float = 60.0) -> None:
        self.host = host
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(host, timeout=timeout)

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """(status, JSON body or raw bytes). Connection errors propagate (the caller decides)."""
        hdrs = {**self.headers, **(headers or {})}
        payload: bytes | None = None
        if body is not None:
            payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            hdrs.setdefault("Content-Type", "application/json")
        reused = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=payload, headers=hdrs)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.close()
            if method == "GET" and reused:  # the server closed an idle keep-alive connection
                return self.request(method, path, body, headers)
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        if resp.getheader("Content-Type", "").startswith("application/json"):
            return resp.status, json.loads(data)
        return resp.status, data

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", "/api/v1" + path)

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        return self.request("POST", "/api/v1" + path, body)

    def close(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, timeout=self.timeout)


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """Pages as a signed-in user: a session cookie and the CSRF token of the last page read."""

    def __init__(self, host: str, timeout: float = 60.0) -> None:
        self.client = Client(host, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict[str, Any] | list[tuple[str, str]] | None = None,
                raw: bytes | None = None, content_type: str = "") -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body: bytes | None = raw
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        if content_type:
            headers["Content-Type"] = content_type
        conn = self.client.conn
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.client.close()
            raise
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.client.close()
        match = CSRF.search(data.decode("utf-8", "replace")) if resp.getheader(
            "Content-Type", "").startswith("text/html") else None
        if match:
            self.csrf = match.group(1)
        return resp.status, data

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.request("GET", "/login")
        status, _ = self.request("POST", "/login", {"csrf_token": self.csrf, "username": username,
                                                   "password": password})
        if status != 303:
            raise ServerError(f"sign-in of {username} answered {status}")
