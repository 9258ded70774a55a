"""Resilience check (issue 8): faults Samen must survive. Run by `make resilience`, never by the
tests.

It starts everything it needs on its own ports, in a temporary folder, and never touches the
machine's shared PostgreSQL (5432) or Redis (6379):

- a PostgreSQL cluster (initdb, pg_ctl; run as the ``postgres`` user when started as root),
- a redis-server (no persistence),
- a small SMTP server in this process that records what was delivered, and can hold a message
  before it answers "250" (the mail is not delivered until then),
- the app: migrated, seeded with the demo data (``seed_demo``), served by gunicorn (3 sync
  workers, ``DJANGO_CONN_MAX_AGE=60`` as in production), and a Celery worker.

Then it tries, in order:

1. 50 users (``--users``) for 60 s (``--duration``) over pages of every door (coordinator,
   lead, expert) and ``/health/``, with sessions made directly in the database: 0 errors.
2. Redis stopped under load: every page still answers, ``/health/`` says 200 with the cache
   and broker down; a match proposed meanwhile is saved (its task cannot reach the broker).
   Redis started again: ``/health/`` is ok again, and the outbox sweep sends the match's
   e-mail, once.
3. PostgreSQL restarted under load: requests that start after the restart succeed
   (``CONN_HEALTH_CHECKS``); errors while it is down are counted, not hidden.
4. The Celery worker killed (SIGKILL, worker and child) while a task is sending its e-mail:
   the e-mail was not delivered and the claim not kept; a new worker gets the task again
   (after the visibility timeout, 10 s here) and delivers it; a third run sends nothing.

It prints one table of what was tried and what happened, and exits 1 if anything failed.
Every wait is bounded; every process it started is stopped and the folder removed, also on
Ctrl-C.

    .venv/bin/python bench/resilience.py [--duration 60] [--users 50] [--fault-seconds 10]
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import json
import os
import select
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SHARED_PORTS = {5432, 6379}
# The worker's task is handed out again this long after its worker died (the production
# default is 15 minutes: longer than any task or retry).
VISIBILITY_TIMEOUT = 10
# Bounds on every wait.
START_TIMEOUT = 60
STEP_TIMEOUT = 600
REQUEST_TIMEOUT = 30
MAX_REQUESTS_PER_USER = 100_000
MAIL_WAIT = 90


# --- Small helpers --------------------------------------------------------------------------


def _free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in SHARED_PORTS:
            return port


def _wait_for(what: str, check, *, timeout: float, interval: float = 0.2):
    """Call ``check`` until it returns something truthy, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            result = check()
            if result:
                return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def _get(port: int, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _health(port: int) -> tuple[int, dict]:
    status, body = _get(port, "/health/")
    return status, json.loads(body)


# --- The SMTP server -------------------------------------------------------------------------


class Mailbox:
    """What the SMTP server delivered, and the switch that holds a message before "250"."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.delivered: list[tuple[list[str], str]] = []
        self.hold = threading.Event()
        self.held: list[list[str]] = []

    def count(self, recipient: str, text: str) -> int:
        with self.lock:
            return sum(1 for to, data in self.delivered if recipient in to and text in data)

    def is_held(self, recipient: str) -> bool:
        with self.lock:
            return any(recipient in to for to in self.held)


class _SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 120

    def _send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        mailbox: Mailbox = self.server.mailbox
        recipients: list[str] = []
        self._send("220 resilience ESMTP")
        for _ in range(1000):  # commands of one connection
            line = self.rfile.readline(4096)
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.wfile.write(b"250-resilience\r\n250 8BITMIME\r\n")
                self.wfile.flush()
            elif verb == "MAIL":
                recipients = []
                self._send("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self._send("250 OK")
            elif verb == "DATA":
                self._send("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                if data is None or not self._wait_while_held(mailbox, recipients):
                    return  # the client went away before "250": nothing was delivered
                with mailbox.lock:
                    mailbox.delivered.append((list(recipients), data))
                self._send("250 OK delivered")
            elif verb == "QUIT":
                self._send("221 Bye")
                return
            else:  # RSET, NOOP
                self._send("250 OK")

    def _read_data(self) -> str | None:
        lines = []
        for _ in range(100_000):
            line = self.rfile.readline(65536)
            if not line:
                return None
            if line in {b".\r\n", b".\n"}:
                return b"".join(lines).decode(errors="replace")
            lines.append(line)
        return None

    def _wait_while_held(self, mailbox: Mailbox, recipients: list[str]) -> bool:
        """While held, wait; False when the client closed the connection meanwhile."""
        if not mailbox.hold.is_set():
            return True
        with mailbox.lock:
            mailbox.held.append(recipients)
        try:
            deadline = time.monotonic() + 120
            while mailbox.hold.is_set() and time.monotonic() < deadline:
                readable, _, _ = select.select([self.connection], [], [], 0.1)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return False
            return True
        finally:
            with mailbox.lock:
                mailbox.held.remove(recipients)


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


# --- The load --------------------------------------------------------------------------------


@dataclass
class Hit:
    started: float
    finished: float
    path: str
    status: int | None
    error: str = ""


@dataclass
class Load:
    """``users`` threads, each requesting the targets in turn until stopped or ``deadline``."""

    port: int
    targets: list[tuple[str, str | None]]
    users: int
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _user(self, offset: int, deadline: float) -> None:
        mine: list[Hit] = []
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        for n in range(MAX_REQUESTS_PER_USER):
            if self._stop.is_set() or time.monotonic() > deadline:
                break
            path, cookie = self.targets[(offset + n) % len(self.targets)]
            started = time.monotonic()
            try:
                headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                mine.append(Hit(started, time.monotonic(), path, response.status))
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as error:
                mine.append(Hit(started, time.monotonic(), path, None, type(error).__name__))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        conn.close()
        with self._lock:
            self.hits.extend(mine)

    def start(self, *, max_seconds: float) -> Load:
        deadline = time.monotonic() + max_seconds
        self._threads = [
            threading.Thread(target=self._user, args=(i, deadline), daemon=True)
            for i in range(self.users)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Hit]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT + 10)
        return sorted(self.hits, key=lambda hit: hit.started)


def _failed(hits: list[Hit]) -> list[Hit]:
    return [hit for hit in hits if hit.status != 200]


def _summary(hits: list[Hit]) -> str:
    if not hits:
        return "no requests"
    seconds = max(h.finished for h in hits) - min(h.started for h in hits)
    latencies = sorted(h.finished - h.started for h in hits)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    failed = _failed(hits)
    kinds = sorted({h.error or str(h.status) for h in failed})
    text = (
        f"{len(hits)} requests, {len(hits) / seconds:.0f}/s, p95 {p95:.0f} ms, {len(failed)} errors"
    )
    return text + (f" ({', '.join(kinds)})" if kinds else "")


# --- The stack -------------------------------------------------------------------------------


class Stack:
    """PostgreSQL, Redis, SMTP, gunicorn and a Celery worker, all of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pg_port = _free_port()
        self.redis_port = _free_port()
        self.web_port = _free_port()
        self.pg_data = folder / "pg"
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: list = []
        self.mailbox = Mailbox()
        self.smtp: _SMTPServer | None = None
        self.worker_count = 0
        bins = sorted(
            glob.glob("/usr/lib/postgresql/*/bin/initdb"),
            key=lambda p: int(Path(p).parts[-3]),
        )
        if not bins:
            raise SystemExit("resilience: no PostgreSQL server binaries (/usr/lib/postgresql)")
        self.pg_bin = Path(bins[-1]).parent
        # PostgreSQL refuses to run as root: then its commands run as the postgres user.
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # PostgreSQL

    def _pg(self, *args: str, timeout: float = START_TIMEOUT) -> None:
        subprocess.run(
            [*self.as_postgres, *args],
            check=True,
            timeout=timeout,
            capture_output=True,
            cwd=self.folder,
        )

    def pg_init(self) -> None:
        self.pg_data.mkdir()
        if self.as_postgres:
            shutil.chown(self.pg_data, "postgres", "postgres")
        self._pg(
            str(self.pg_bin / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self.pg_start()
        self._pg(
            str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
            "-U", "postgres", "samen",
        )  # fmt: skip

    def _pg_options(self) -> str:
        return (
            f"-c port={self.pg_port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.pg_data} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )

    def pg_start(self) -> None:
        self._pg(
            str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-l",
            str(self.pg_data / "server.log"), "-o", self._pg_options(), "-w", "start",
        )  # fmt: skip

    def pg_restart(self) -> None:
        self._pg(
            str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-l",
            str(self.pg_data / "server.log"), "-o", self._pg_options(), "-m", "fast", "-w",
            "restart",
        )  # fmt: skip

    def pg_stop(self) -> None:
        if (self.pg_data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._pg(
                    str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m", "immediate",
                    "-w", "stop",
                )  # fmt: skip

    # Processes

    def _start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        self.logs.append(log)
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        self.processes[name] = process
        return process

    def _stop(self, name: str, *, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def redis_start(self) -> None:
        self._start(
            "redis",
            [
                "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
        )  # fmt: skip

        def answers() -> bool:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")

        _wait_for("redis-server", answers, timeout=START_TIMEOUT)

    def redis_stop(self) -> None:
        self._stop("redis")

    def smtp_start(self) -> int:
        self.smtp = _SMTPServer(("127.0.0.1", 0), _SMTPHandler)
        self.smtp.mailbox = self.mailbox
        threading.Thread(target=self.smtp.serve_forever, daemon=True).start()
        return self.smtp.server_address[1]

    def env(self, smtp_port: int) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "SAMEN_", "CELERY_"))
            and k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "samen.settings",
                "DJANGO_ENV": "development",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/samen",
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
                "DJANGO_CONN_MAX_AGE": "60",
                "SAMEN_REQUIRE_MFA": "0",
                "SAMEN_DASHBOARD_CACHE_SECONDS": "60",
                "SAMEN_CACHE_RETRY_SECONDS": "2",
                "SAMEN_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.django_env = env
        return env

    def step(self, name: str, *args: str) -> dict:
        """Run a Django step of this script in a child process; its last line is JSON."""
        result = subprocess.run(
            [PYTHON, __file__, "_step", name, *args],
            cwd=ROOT,
            env=self.django_env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"step {name} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def manage(self, *args: str) -> None:
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.django_env,
            check=True,
            timeout=STEP_TIMEOUT,
            capture_output=True,
        )

    def web_start(self) -> None:
        self._start(
            "web",
            [
                PYTHON, "-m", "gunicorn", "samen.wsgi:application",
                f"--bind=127.0.0.1:{self.web_port}", "--workers=3", "--timeout=60",
                "--graceful-timeout=5",
            ],
            cwd=ROOT,
            env=self.django_env,
        )  # fmt: skip
        _wait_for("gunicorn", lambda: _get(self.web_port, "/health/")[0] == 200, timeout=60)

    def worker_start(self) -> None:
        self.worker_count += 1
        self._start(
            "worker",
            [
                PYTHON, "-m", "celery", "-A", "samen", "worker", "--pool=prefork",
                "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat", f"--hostname=resilience{self.worker_count}@%h",
            ],
            cwd=ROOT,
            env=self.django_env,
        )  # fmt: skip
        log = self.folder / "worker.log"
        _wait_for("celery worker", lambda: b" ready." in log.read_bytes(), timeout=START_TIMEOUT)

    def worker_kill(self) -> None:
        """SIGKILL the worker and its child at once: no warm shutdown, no acknowledgement."""
        self._stop("worker", sig=signal.SIGKILL)

    def close(self) -> None:
        for name in list(self.processes):
            self._stop(name)
        if self.smtp is not None:
            self.smtp.shutdown()
            self.smtp.server_close()
        self.pg_stop()
        for log in self.logs:
            log.close()


# --- The check -------------------------------------------------------------------------------


@dataclass
class Row:
    tried: str
    happened: str
    ok: bool


def _load_phase(stack: Stack, targets, users: int, seconds: float) -> list[Hit]:
    load = Load(stack.web_port, targets, users).start(max_seconds=seconds + 5)
    time.sleep(seconds)
    return load.stop()


def run(options: argparse.Namespace, stack: Stack, rows: list[Row]) -> None:
    smtp_port = stack.smtp_start()
    stack.env(smtp_port)
    print(
        f"resilience: PostgreSQL :{stack.pg_port}, Redis :{stack.redis_port}, "
        f"gunicorn :{stack.web_port}, SMTP :{smtp_port}, folder {stack.folder}",
        flush=True,
    )
    stack.pg_init()
    stack.redis_start()
    stack.manage("migrate", "--noinput")
    setup = stack.step("setup")
    targets = [(t["path"], t["cookie"]) for t in setup["targets"]]
    stack.web_start()
    stack.worker_start()
    for path, cookie in targets:
        status, _ = _get(stack.web_port, path, cookie)
        if status != 200:
            raise RuntimeError(f"{path} answers {status} before any fault")
    doors = ", ".join(f"{door} {count}" for door, count in setup["doors"].items())
    print(f"resilience: {len(targets)} pages ({doors}); load for {options.duration} s", flush=True)

    # 1. Load.
    hits = _load_phase(stack, targets, options.users, options.duration)
    rows.append(
        Row(
            f"{options.users} users for {options.duration} s over {len(targets)} pages ({doors})",
            _summary(hits),
            bool(hits) and not _failed(hits),
        )
    )

    # 2. Redis down.
    fault = options.fault_seconds
    load = Load(stack.web_port, targets, options.users).start(max_seconds=fault * 3 + 120)
    time.sleep(2)
    stack.redis_stop()
    time.sleep(fault)
    status, report = _health(stack.web_port)
    offline = stack.step("propose", "redis-down")
    hits = load.stop()
    rows.append(
        Row(
            f"Redis stopped, {options.users} users for {fault} s more",
            _summary(hits),
            bool(hits) and not _failed(hits),
        )
    )
    rows.append(
        Row(
            "/health/ with Redis stopped",
            f"{status}, status {report['status']}, down: {', '.join(report['down'])}",
            status == 200 and {"cache", "broker"} <= set(report["down"]),
        )
    )
    rows.append(
        Row(
            "a match proposed with Redis stopped",
            f"saved in {offline['seconds']:.1f} s, task sent to broker: {offline['enqueued']}",
            offline["saved"] and not offline["enqueued"],
        )
    )
    started = time.monotonic()
    stack.redis_start()
    recovered = _wait_for(
        "/health/ ok after Redis is back",
        lambda: _health(stack.web_port)[1]["status"] == "ok",
        timeout=60,
    )
    rows.append(
        Row(
            "Redis started again",
            f"/health/ ok after {time.monotonic() - started:.1f} s",
            bool(recovered),
        )
    )
    # The worker reconnects to the new Redis on its own; the sweep (beat, every 5 minutes)
    # is run here at once, with the match's time moved back past the sweep's grace period.
    started = time.monotonic()
    swept = stack.step("sweep", str(offline["match"]))
    recipient, title = offline["recipient"], offline["title"]
    with contextlib.suppress(TimeoutError):
        _wait_for(
            "the swept e-mail",
            lambda: stack.mailbox.count(recipient, title) >= 1,
            timeout=MAIL_WAIT,
        )
    time.sleep(2)  # room for a second e-mail that must not come
    delivered = stack.mailbox.count(recipient, title)
    rows.append(
        Row(
            "outbox sweep after Redis is back",
            f"{swept['sent']} task(s) sent; the match's e-mail delivered {delivered}x "
            f"after {time.monotonic() - started:.1f} s",
            delivered == 1,
        )
    )

    # 3. PostgreSQL restarted under load.
    load = Load(stack.web_port, targets, options.users).start(max_seconds=fault * 3 + 120)
    time.sleep(2)
    restart_started = time.monotonic()
    stack.pg_restart()
    restart_done = time.monotonic()
    time.sleep(fault)
    hits = load.stop()
    during = [h for h in hits if h.finished >= restart_started and h.started < restart_done]
    after = [h for h in hits if h.started >= restart_done]
    first = after[0] if after else None
    rows.append(
        Row(
            f"PostgreSQL restarted (pg_ctl restart -m fast) under {options.users} users",
            f"down {restart_done - restart_started:.1f} s; "
            f"{len(_failed(during))} of {len(during)} requests during it failed",
            True,
        )
    )
    rows.append(
        Row(
            "requests after the restart",
            f"first: {first.status if first else '-'}; {_summary(after)}",
            bool(after) and not _failed(after),
        )
    )

    # 4. The worker killed mid-task.
    stack.mailbox.hold.set()
    try:
        held = stack.step("propose", "worker-kill")
        recipient, title = held["recipient"], held["title"]
        _wait_for(
            "the task sending its e-mail",
            lambda: stack.mailbox.is_held(recipient),
            timeout=MAIL_WAIT,
        )
        stack.worker_kill()
        killed_at = time.monotonic()
        state = stack.step("match_state", str(held["match"]))
        rows.append(
            Row(
                "Celery worker killed (SIGKILL) while the task sends its e-mail",
                f"delivered {stack.mailbox.count(recipient, title)}x, claim kept: "
                f"{state['notified']}",
                stack.mailbox.count(recipient, title) == 0 and not state["notified"],
            )
        )
    finally:
        stack.mailbox.hold.clear()
    stack.worker_start()
    with contextlib.suppress(TimeoutError):
        _wait_for(
            "the task run again",
            lambda: stack.mailbox.count(recipient, title) >= 1,
            timeout=VISIBILITY_TIMEOUT + MAIL_WAIT,
        )
    again = stack.step("run_again", str(held["match"]))
    time.sleep(2)
    delivered = stack.mailbox.count(recipient, title)
    state = stack.step("match_state", str(held["match"]))
    rows.append(
        Row(
            "new worker started; the same task run once more by hand",
            f"ran again after {time.monotonic() - killed_at:.0f} s: e-mail delivered "
            f"{delivered}x, claim kept: {state['notified']}; the extra run sent "
            f"{'a mail' if again['sent'] else 'nothing'}",
            delivered == 1 and state["notified"] and not again["sent"],
        )
    )


def _table(rows: list[Row]) -> str:
    lines = ["| what was tried | what happened | ok |", "|---|---|---|"]
    lines += [f"| {r.tried} | {r.happened} | {'yes' if r.ok else '**no**'} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (step 1)")
    parser.add_argument("--users", type=int, default=50, help="concurrent users")
    parser.add_argument(
        "--fault-seconds", type=int, default=10, help="seconds of load around each fault"
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs) afterwards")
    options = parser.parse_args(argv)
    if not 1 <= options.duration <= 3600 or not 1 <= options.users <= 500:
        parser.error("--duration 1..3600, --users 1..500")
    for program in ("redis-server", "runuser" if os.geteuid() == 0 else "true"):
        if shutil.which(program) is None:
            raise SystemExit(f"resilience: {program} is not installed")

    folder = Path(tempfile.mkdtemp(prefix="samen-resilience-"))
    folder.chmod(0o755)  # the postgres user must reach its data folder inside
    stack = Stack(folder)
    rows: list[Row] = []
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    started = time.monotonic()
    try:
        run(options, stack, rows)
    except (Exception, KeyboardInterrupt) as error:
        rows.append(Row("(the check itself)", f"stopped: {type(error).__name__}: {error}", False))
    finally:
        stack.close()
        signal.signal(signal.SIGTERM, previous)
        if options.keep:
            print(f"resilience: logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print(_table(rows))
    print(f"\n{len(rows)} checks in {time.monotonic() - started:.0f} s")
    return 0 if rows and all(r.ok for r in rows) else 1


# --- Django-side steps (run in a child process with the stack's environment) ------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _emit(result: dict) -> None:
    print(json.dumps(result, default=str), flush=True)


def step_setup() -> None:
    """The demo data, a session per door and the pages to load."""
    _setup_django()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse

    from experts.models import Expert
    from learning_networks.models import LearningNetwork
    from participation.models import Request
    from samen.accounts.models import Role, User

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    def cookie(user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    lead = User.objects.filter(role=Role.LEAD, led_networks__isnull=False).order_by("pk").first()
    expert_user = User.objects.filter(role=Role.EXPERT, expert__isnull=False).order_by("pk").first()
    network = LearningNetwork.objects.order_by("pk").first()
    request = Request.objects.order_by("pk").first()
    expert = Expert.objects.order_by("pk").first()
    pages = {
        "coordinator": [
            reverse("coordinator:dashboard"),
            reverse("coordinator:expert_list"),
            reverse("coordinator:expert_detail", args=[expert.pk]),
            reverse("coordinator:network_list"),
            reverse("coordinator:network_detail", args=[network.pk]),
            reverse("coordinator:request_list"),
            reverse("coordinator:request_detail", args=[request.pk]),
            reverse("coordinator:match_list"),
            reverse("coordinator:activity_waiting"),
        ],
        "lead": [reverse("lead:home")],
        "expert": [reverse("expert:home")],
        "anonymous": [reverse("health")],
    }
    cookies = {
        "coordinator": cookie(coordinator),
        "lead": cookie(lead),
        "expert": cookie(expert_user),
        "anonymous": None,
    }
    targets = [
        {"door": door, "path": path, "cookie": cookies[door]}
        for door, paths in pages.items()
        for path in paths
    ]
    _emit({"targets": targets, "doors": {door: len(paths) for door, paths in pages.items()}})


def step_propose(scenario: str) -> None:
    """A new request and a proposed match, its e-mail task sent after commit, as
    ``match_propose`` does. Reports whether the task reached the broker."""
    _setup_django()
    from django.db import transaction

    from experts.models import Expert
    from participation.models import Match, MatchStatus, Request
    from participation.requests.tasks import match_notify_expert
    from samen import jobs

    sent: list[bool] = []
    started = time.monotonic()
    with transaction.atomic():
        request = Request.objects.order_by("pk").first()
        request.pk = None
        request.title = f"Resilience check {scenario} {int(time.time())}"
        request.save()
        used = Match.objects.values("expert")
        expert = Expert.objects.exclude(email="").exclude(pk__in=used).order_by("pk").first()
        match = Match.objects.create(
            request=request,
            expert=expert,
            status=MatchStatus.PROPOSED,
            expectations="Meedenken over de check.",
            hours=1,
            payment_scheme=request.payment_scheme,
        )
        transaction.on_commit(lambda: sent.append(jobs.enqueue(match_notify_expert, match.pk)))
    _emit(
        {
            "match": match.pk,
            "recipient": expert.email.lower(),
            "title": request.title,
            "saved": Match.objects.filter(pk=match.pk).exists(),
            "enqueued": bool(sent and sent[0]),
            "seconds": time.monotonic() - started,
        }
    )


def step_sweep(match_id: str) -> None:
    """The outbox sweep, as beat runs it, after the match is older than its grace period."""
    _setup_django()
    import datetime

    from django.utils import timezone

    from participation.models import Match
    from participation.requests.tasks import UNSENT_GRACE, matches_notify_unsent

    Match.objects.filter(pk=int(match_id)).update(
        proposed_at=timezone.now() - UNSENT_GRACE - datetime.timedelta(minutes=1)
    )
    _emit({"sent": matches_notify_unsent()})


def step_match_state(match_id: str) -> None:
    _setup_django()
    from participation.models import Match

    match = Match.objects.get(pk=int(match_id))
    _emit({"notified": match.expert_notified_at is not None})


def step_run_again(match_id: str) -> None:
    """The task once more, in this process: a redelivery that finds its work done."""
    _setup_django()
    from participation.requests.tasks import match_notify_expert

    _emit({"sent": match_notify_expert.apply(args=[int(match_id)]).get()})


STEPS = {
    "setup": step_setup,
    "propose": step_propose,
    "sweep": step_sweep,
    "match_state": step_match_state,
    "run_again": step_run_again,
}


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_step":
        STEPS[sys.argv[2]](*sys.argv[3:])
    else:
        sys.exit(main(sys.argv[1:]))
