"""Benchmark of the coordinator's dashboard (issue 3). Run by `make bench`, never by the tests.

1. Builds the reference dataset on PostgreSQL (10,000 experts, 200 networks, 50,000 placements,
   1,000,000 activity logs) in its own database, and the same at 1/10 in a second one, with COPY.
   A marker row records the dataset version, so later runs reuse what is there.
2. Serves the app with gunicorn (DJANGO_ENV=development, DEBUG off) on 127.0.0.1 only.
3. Measures with wrk (or, without wrk, a bounded thread pool of keep-alive http.client
   connections) the dashboard, the expert list (when that page exists) and a floor: the home
   page of a network lead who leads no network. That page passes the same middleware and
   renders base.html, and its only query of ours is the (empty) list of the lead's networks.
   Beside it, a bare Django project (bench/bare: startproject's middleware, database sessions,
   one @login_required view with a tiny template) is served the same way and takes its turn
   with the other pages: the second floor, what Django itself costs for a logged-in page.
   After each page's turn the script waits until the server has finished the requests the
   load generator left behind, so they do not slow down the next page.
4. Counts the SQL queries per request in-process (Django's test Client and
   CaptureQueriesContext), and compares the dashboard's time at 1/10 of the data with the full
   data (median of sequential requests on one keep-alive connection).

    .venv/bin/python bench/dashboard.py [--json PATH] [--rebuild] [--duration SECONDS]

The databases are samen_bench and samen_bench_small on the server of DATABASE_URL (or
127.0.0.1:5432 as user postgres); SAMEN_BENCH_DATABASE_URL names the full one explicitly. The
bare project's database is the full one's name plus "_bare". The database of DATABASE_URL
itself is never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATASET_VERSION = "dashboard-v3"
FULL = {
    "experts": 10_000,
    "networks": 200,
    "placements": 50_000,
    "activity_logs": 1_000_000,
    "meetings_per_network": 12,
    "requests": 500,
    "matches": 1_000,
}
COORDINATOR_EMAIL = "bench-coordinator@samen.bench"
FLOOR_LEAD_EMAIL = "bench-floor-lead@samen.bench"
# The expert whose pages are measured: two years of hours, payments, placements, proposals.
EXPERT_EMAIL = "bench-expert@samen.bench"
EXPERT_YEARS = 2
# Each page of the expert's door serves at least this share of the bare Django floor.
EXPERT_PAGE_TARGET = 0.3
BARE_USERNAME = "bench-floor"
SEED = 20250101
BENCH_REDIS_DB_FULL = 13
BENCH_REDIS_DB_SMALL = 14
# Bounds on every loop that talks to a server.
SERVER_START_TIMEOUT = 60
MAX_REQUESTS_PER_RUN = 200_000
SEQUENTIAL_REQUESTS = 60
SETTLE_TIMEOUT = 60
LOAD_ROUNDS = 3


# --- Orchestration (no Django in this process) ------------------------------------------------


def _database_urls() -> tuple[str, str]:
    """The full and the 1/10 dataset; the bare Django floor adds "_bare" to the full one."""
    explicit = os.environ.get("SAMEN_BENCH_DATABASE_URL")
    if explicit:
        full = explicit
    else:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith(("postgres://", "postgresql://")):
            base = "postgres://postgres@127.0.0.1:5432/postgres"
        parts = urlsplit(base)
        full = urlunsplit((parts.scheme, parts.netloc, "/samen_bench", "", ""))
    parts = urlsplit(full)
    small = urlunsplit((parts.scheme, parts.netloc, parts.path + "_small", "", ""))
    return full, small


def _host_is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in {"127.0.0.1", "localhost", "::1"}


def _run_self(command: str, database_url: str, *args: str, timeout: int = 3600) -> dict:
    """Run one Django-side step of this script in a child process against one database."""
    return _run_step(command, _django_env(database_url), *args, timeout=timeout)


def _run_step(command: str, django_env: dict, *args: str, timeout: int = 3600) -> dict:
    env = {**os.environ, **django_env}
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), command, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-8000:])
        raise SystemExit(f"bench: step {command} failed on {django_env['DATABASE_URL']}")
    for line in reversed(result.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"bench: step {command} printed no result")


def _django_env(database_url: str) -> dict:
    env = {
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "samen.settings",
        # As in production: keep database connections open between requests.
        "DJANGO_CONN_MAX_AGE": "60",
        "SAMEN_REQUIRE_MFA": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    # As in production the cache is Redis, when it answers: its own database per dataset, so
    # the figures of one dataset are never served for the other.
    redis_db = BENCH_REDIS_DB_SMALL if database_url.endswith("_small") else BENCH_REDIS_DB_FULL
    env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}" if _redis_answers() else ""
    return env


def _bare_env(database_url: str) -> dict:
    """The bare Django project (bench/bare) with the load settings of Samen's server."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bare.settings",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "bench"),
    }


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _gunicorn(application: str, django_env: dict, workers: int):
    port = _free_port()
    env = {**os.environ, **django_env}
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            application,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise SystemExit(
                    "bench: gunicorn stopped: " + (process.stderr.read() or "")[-2000:]
                )
            try:
                status, _ = _get(port, "/health/", cookie=None)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("bench: gunicorn did not answer in time")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _get(port: int, path: str, *, cookie: str | None, conn=None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if own:
        conn.close()
    return response.status, body


_WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency.max))
end
"""


def _load_wrk(port: int, path: str, cookie: str, *, duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-H",
                f"Cookie: sessionid={cookie}",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    requests, duration_us, p95_us, errors, p50_us, max_us = (int(x) for x in line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p95_ms": p95_us / 1000,
        "p50_ms": p50_us / 1000,
        "max_ms": max_us / 1000,
        "requests": requests,
        "errors": errors,
    }


def _load_python(port: int, path: str, cookie: str, *, duration: int, connections: int) -> dict:
    """A bounded keep-alive client: stops at the deadline or after MAX_REQUESTS_PER_RUN."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    budget = [MAX_REQUESTS_PER_RUN]

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            started = time.perf_counter()
            try:
                status, _ = _get(port, path, cookie=cookie, conn=conn)
            except OSError:
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            if status != 200:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return {
        "rps": len(latencies) / elapsed,
        "p95_ms": p95 * 1000,
        "p50_ms": (statistics.median(latencies) * 1000) if latencies else float("nan"),
        "max_ms": (latencies[-1] * 1000) if latencies else 0.0,
        "requests": len(latencies),
        "errors": errors,
    }


def _sequential_ms(targets: dict[str, tuple[int, str, str]], *, count: int) -> dict[str, float]:
    """Median time of one request, no other load, on one keep-alive connection per target.
    The targets take turns, so a change in the machine's background load hits them alike."""
    conns = {
        name: http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for name, (port, _, _) in targets.items()
    }
    times: dict[str, list[float]] = {name: [] for name in targets}
    try:
        for index in range(count + 5):
            for name, (port, path, cookie) in targets.items():
                started = time.perf_counter()
                status, _ = _get(port, path, cookie=cookie, conn=conns[name])
                if status != 200:
                    raise SystemExit(f"bench: {path} answered {status}")
                if index >= 5:  # the first requests warm the worker's caches
                    times[name].append(time.perf_counter() - started)
    finally:
        for conn in conns.values():
            conn.close()
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


# Server-side TCP states of a connection whose request may still be in a worker's hands:
# established, just accepted, or closed by the client but not yet by the server.
_OPEN_TCP_STATES = {"01", "03", "08"}


def _open_connections(port: int) -> int | None:
    """Connections to the server on ``port`` that it has not closed yet (None without /proc)."""
    count = 0
    try:
        with open("/proc/net/tcp") as table:
            next(table)
            for line in table:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] in _OPEN_TCP_STATES:
                    count += 1
    except OSError:
        return None
    return count


def _settle(port: int, *, longest_ms: float) -> None:
    """Wait until the server has finished the requests the load generator left behind.

    When wrk stops, a sync worker still serves the request in its hands and the connections
    waiting in the listen queue (wrk closed them, the request was already sent). A slow page
    leaves seconds of work that would run during the next page's turn; the floor, which follows
    the expert list in every round, lost a large share of its throughput to it.
    """
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        count = _open_connections(port)
        if count is None:  # no /proc: wait as long as the slowest request took, twice
            time.sleep(min(SETTLE_TIMEOUT, 2 * longest_ms / 1000))
            return
        if count == 0:
            return
        time.sleep(0.05)
    print(f"warning: the server on port {port} was still busy after {SETTLE_TIMEOUT} s")


def _check_page(port: int, path: str, cookie: str) -> None:
    status, body = _get(port, path, cookie=cookie)
    if status != 200:
        raise SystemExit(f"bench: {path} answered {status}, expected 200 (logged in)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--rebuild", action="store_true", help="build the datasets again")
    parser.add_argument("--build-only", action="store_true", help="build, do not measure")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="start each page's load while the server still serves the previous page's "
        "requests (the layout before; for comparison only)",
    )
    options = parser.parse_args(argv)
    options.duration = max(3, min(options.duration, 120))
    options.connections = max(1, min(options.connections, 64))

    full_url, small_url = _database_urls()
    urls = {"full": full_url, "small": small_url}
    # The bare Django floor has its own small database on the same server.
    bare_url = full_url + "_bare"
    for url in (full_url, small_url, bare_url):
        if not _host_is_loopback(url):
            raise SystemExit("bench: only a PostgreSQL on 127.0.0.1 is used")
    datasets = {}
    for name, url, scale in (("full", full_url, 1.0), ("small", small_url, 0.1)):
        started = time.monotonic()
        args = ["--scale", str(scale)] + (["--rebuild"] if options.rebuild else [])
        datasets[name] = _run_self("_build", url, *args, timeout=3 * 3600)
        state = "built" if datasets[name]["built"] else "reused"
        print(
            f"dataset {name:5} {state} in {time.monotonic() - started:6.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in datasets[name]["counts"].items()),
            flush=True,
        )
    if options.build_only:
        return 0

    use_wrk = bool(shutil.which("wrk")) and not options.python_client
    load = _load_wrk if use_wrk else _load_python
    print(f"load generator: {'wrk' if use_wrk else 'python http.client pool'}", flush=True)

    queries = {name: _run_self("_queries", url) for name, url in urls.items()}
    cookies = {name: _run_self("_sessions", url) for name, url in urls.items()}
    bare = _run_step("_bare", _bare_env(bare_url))
    paths = queries["full"]["paths"]
    # Each page: (dataset, path, who). "bare" is the bare Django project (bench/bare).
    pages = {
        "floor": ("full", paths["floor"], "floor"),
        "django_floor": ("bare", bare["path"], "floor"),
        "dashboard": ("full", paths["dashboard"], "coordinator"),
        # The same page computing all its figures on every request (no cache).
        "dashboard_uncached": ("full", paths["dashboard"] + "?refresh=1", "coordinator"),
    }
    if paths.get("expert_list"):
        pages["expert_list"] = ("full", paths["expert_list"], "coordinator")
    expert_pages = [page for page in paths if page.startswith("expert:")]
    for page in expert_pages:
        pages[page] = ("full", paths[page], "expert")
    cookies["bare"] = {"floor": bare["cookie"]}
    results: dict[str, dict] = {}
    # Both datasets and the bare project are served at once, so their times can be taken in
    # turns.
    with (
        _gunicorn("samen.wsgi:application", _django_env(urls["full"]), options.workers) as full,
        _gunicorn("samen.wsgi:application", _django_env(urls["small"]), options.workers) as small,
        _gunicorn("bare.wsgi:application", _bare_env(bare_url), options.workers) as bare_port,
    ):
        ports = {"full": full, "small": small}
        for name, port in ports.items():
            for dataset, path, who in pages.values():
                if dataset != "bare":
                    _check_page(port, path, cookies[name][who])
        _check_page(bare_port, bare["path"], bare["cookie"])
        ports["bare"] = bare_port

        def dashboard_targets(page: str) -> dict:
            _, path, who = pages[page]
            return {name: (ports[name], path, cookies[name][who]) for name in ("full", "small")}

        computed = _sequential_ms(dashboard_targets("dashboard_uncached"), count=20)
        served = _sequential_ms(dashboard_targets("dashboard"), count=SEQUENTIAL_REQUESTS)
        for name in ("full", "small"):
            print(
                f"{name:5} dashboard one request at a time: {served[name]:.1f} ms as served, "
                f"{computed[name]:.1f} ms computing the figures",
                flush=True,
            )

        def measure(page: str, duration: int) -> dict:
            dataset, path, who = pages[page]
            port = ports[dataset]
            run = load(
                port,
                path,
                cookies[dataset][who],
                duration=duration,
                connections=options.connections,
            )
            if not options.no_settle:
                _settle(port, longest_ms=run["max_ms"])
            return run

        # The pages take turns in rounds, so a change in the machine's background load (other
        # processes on a shared machine) hits them alike.
        for page in pages:  # warm-up: every worker connected, templates loaded
            measure(page, 2)
        rounds = max(1, min(LOAD_ROUNDS, options.duration // 3))
        runs: dict[str, list[dict]] = {page: [] for page in pages}
        for _ in range(rounds):
            for page in pages:
                runs[page].append(measure(page, max(3, options.duration // rounds)))
        for page, page_runs in runs.items():
            seconds = sum(run["requests"] / run["rps"] for run in page_runs if run["rps"])
            results[page] = {
                "rps": sum(run["requests"] for run in page_runs) / seconds,
                "p95_ms": statistics.median(run["p95_ms"] for run in page_runs),
                "errors": sum(run["errors"] for run in page_runs),
            }
            label = "bare" if pages[page][0] == "bare" else "full"
            print(
                f"{label:5} {page:19} {results[page]['rps']:8.1f} rps, "
                f"p95 {results[page]['p95_ms']:.1f} ms",
                flush=True,
            )
            if results[page]["errors"]:
                print(f"warning: {page}: {results[page]['errors']} failed requests")

    paths = queries["full"]["paths"]
    counts, counts_small = queries["full"]["counts"], queries["small"]["counts"]
    floor = results["floor"]["rps"]
    django_floor = results["django_floor"]["rps"]
    figures = {
        "floor_rps": round(floor, 1),
        "floor_p95_ms": round(results["floor"]["p95_ms"], 1),
        "floor_ratio_django": round(floor / django_floor, 3),
        "floor_page": paths["floor"] + " (home of a network lead who leads no network)",
        "floor_queries": counts["floor"],
        "django_floor_rps": round(django_floor, 1),
        "django_floor_p95_ms": round(results["django_floor"]["p95_ms"], 1),
        "django_floor_page": "bench/bare: @login_required view, tiny template, "
        "startproject middleware, database sessions",
        "django_floor_queries": bare["queries"],
        "dashboard_rps": round(results["dashboard"]["rps"], 1),
        "dashboard_ratio": round(results["dashboard"]["rps"] / floor, 3),
        "dashboard_ratio_django": round(results["dashboard"]["rps"] / django_floor, 3),
        "dashboard_p95_ms": round(results["dashboard"]["p95_ms"], 1),
        # Queries of a request that computes the figures; a cached request needs fewer.
        "dashboard_queries": counts["dashboard"],
        "dashboard_queries_small": counts_small["dashboard"],
        "dashboard_queries_cached": counts["dashboard_cached"],
        "dashboard_queries_cached_small": counts_small["dashboard_cached"],
        "dashboard_uncached_rps": round(results["dashboard_uncached"]["rps"], 1),
        "dashboard_uncached_ratio": round(results["dashboard_uncached"]["rps"] / floor, 3),
        "dashboard_uncached_ratio_django": round(
            results["dashboard_uncached"]["rps"] / django_floor, 3
        ),
        "dashboard_uncached_p95_ms": round(results["dashboard_uncached"]["p95_ms"], 1),
        "expert_list_rps": None,
        "expert_list_ratio": None,
        "expert_list_ratio_django": None,
        "expert_list_p95_ms": None,
        "expert_list_queries": counts.get("expert_list"),
        "expert_list_queries_small": counts_small.get("expert_list"),
        "dashboard_ms_full": round(served["full"], 1),
        "dashboard_ms_small": round(served["small"], 1),
        "growth": round(served["full"] / served["small"], 2),
        "dashboard_uncached_ms_full": round(computed["full"], 1),
        "dashboard_uncached_ms_small": round(computed["small"], 1),
        "growth_uncached": round(computed["full"] / computed["small"], 2),
        "cache": "redis" if _redis_answers() else "locmem (per worker)",
        "cache_seconds": "SAMEN_DASHBOARD_CACHE_SECONDS (default 60)",
        "load_generator": "wrk" if use_wrk else "python",
        "workers": options.workers,
        "connections": options.connections,
        "duration_s": options.duration,
        "settle": not options.no_settle,
        "dataset_version": DATASET_VERSION,
        "dataset_full": datasets["full"]["counts"],
        "dataset_small": datasets["small"]["counts"],
    }
    if "expert_list" in results:
        figures["expert_list_rps"] = round(results["expert_list"]["rps"], 1)
        figures["expert_list_ratio"] = round(results["expert_list"]["rps"] / floor, 3)
        figures["expert_list_ratio_django"] = round(results["expert_list"]["rps"] / django_floor, 3)
        figures["expert_list_p95_ms"] = round(results["expert_list"]["p95_ms"], 1)
    # The expert's door (issue 9): each page at least EXPERT_PAGE_TARGET of the bare Django
    # floor, with the same number of queries at 1/10 of the data.
    figures["expert_pages"] = {
        page: {
            "path": paths[page],
            "rps": round(results[page]["rps"], 1),
            "ratio_django": round(results[page]["rps"] / django_floor, 3),
            "p95_ms": round(results[page]["p95_ms"], 1),
            "queries": counts.get(page),
            "queries_small": counts_small.get(page),
            "target_met": results[page]["rps"] / django_floor >= EXPERT_PAGE_TARGET,
        }
        for page in expert_pages
    }

    print()
    print(
        f"{'page (full data)':20} {'rps':>8} {'p95 ms':>8} {'ratio':>6} {'django':>6} "
        f"{'queries':>8}"
    )
    query_key = {"dashboard": "dashboard_cached", "dashboard_uncached": "dashboard"}
    shown = ("django_floor", "floor", "dashboard", "dashboard_uncached", "expert_list")
    for page in (*shown, *expert_pages):
        if page not in results:
            print(f"{page:20} (the page does not exist yet)")
            continue
        r = results[page]
        count = bare["queries"] if page == "django_floor" else counts.get(query_key.get(page, page))
        print(
            f"{page:20} {r['rps']:8.1f} {r['p95_ms']:8.1f} {r['rps'] / floor:6.2f} "
            f"{r['rps'] / django_floor:6.2f} {count!s:>8}"
        )
    print("ratio: to Samen's floor; django: to the bare Django floor (bench/bare)")
    for page, figure in figures["expert_pages"].items():
        print(
            f"{page}: {figure['ratio_django']:.2f} of the bare floor "
            f"(target {EXPERT_PAGE_TARGET}: {'met' if figure['target_met'] else 'NOT met'}), "
            f"queries {figure['queries_small']} at 1/10 and {figure['queries']} at full"
        )
    print(
        f"dashboard as served: {served['small']:.1f} ms at 1/10 of the data, "
        f"{served['full']:.1f} ms at the full data (growth {figures['growth']}x)"
    )
    print(
        f"dashboard computing its figures: {computed['small']:.1f} ms at 1/10, "
        f"{computed['full']:.1f} ms at full (growth {figures['growth_uncached']}x); "
        f"queries {counts_small['dashboard']} at 1/10 and {counts['dashboard']} at full "
        f"({counts_small['dashboard_cached']} and {counts['dashboard_cached']} when cached)"
    )
    if options.json:
        Path(options.json).write_text(json.dumps(figures, indent=2) + "\n")
        print(f"wrote {options.json}")
    return 0


# --- Django-side steps (run in a child process with DATABASE_URL set) -------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")
    import django

    django.setup()


def _emit(result: dict) -> None:
    print(json.dumps(result, default=str), flush=True)


def _ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _drop_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _marker(url: str) -> dict | None:
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_dataset')")
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute("SELECT version, counts FROM bench_dataset")
            row = cursor.fetchone()
            return {"version": row[0], "counts": row[1]} if row else None
    finally:
        conn.close()


def step_build(args: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args(args)
    url = os.environ["DATABASE_URL"]
    _ensure_database(url)
    marker = _marker(url)
    if marker and marker["version"] == DATASET_VERSION and not options.rebuild:
        # Later migrations of other features still apply to the kept data; a data migration
        # that filled a table leaves the planner without statistics until ANALYZE.
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
        import psycopg2

        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE")
        conn.close()
        _emit({"built": False, "counts": marker["counts"]})
        return
    if marker or options.rebuild:
        _drop_database(url)
        _ensure_database(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
    _setup_django()
    counts = _load_dataset(options.scale)
    # COPY bypasses the services that keep the monthly sums of hours and the networks' counts.
    from participation.hours.services import months_rebuild
    from participation.placements.services import network_compositions_refresh

    counts["bench_expert_logs"] = _bench_expert()
    months_rebuild()
    network_compositions_refresh()
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "CREATE TABLE bench_dataset (version text PRIMARY KEY, scale real NOT NULL, "
            "counts jsonb NOT NULL, built_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            "INSERT INTO bench_dataset (version, scale, counts) VALUES (%s, %s, %s)",
            [DATASET_VERSION, options.scale, json.dumps(counts)],
        )
    conn.close()
    _emit({"built": True, "counts": counts})


class _Copier:
    """COPY rows into a model's table. Columns not given get the field's default, so fields
    that other features add later do not break the benchmark."""

    def __init__(self, cursor, model, columns: list[str]):
        from django.db import models

        self.cursor = cursor
        self.table = model._meta.db_table
        now = datetime.datetime.now(datetime.UTC)
        given = set(columns)
        rest, constants = [], []
        for field in model._meta.concrete_fields:
            if field.column in given or field.attname in given:
                continue
            if field.primary_key:
                continue
            value = field.get_default()
            if value is None and not field.null:
                if isinstance(field, models.DateTimeField):
                    value = now
                elif isinstance(field, models.DateField):
                    value = now.date()
                else:
                    raise SystemExit(f"bench: no value for {self.table}.{field.column}")
            rest.append(field.column)
            constants.append(_copy_value(value))
        self.columns = columns + rest
        self.suffix = ("\t" + "\t".join(constants)) if constants else ""

    def copy(self, lines) -> int:
        """``lines`` yields the given columns already joined by tabs."""
        buffer = io.StringIO()
        count = 0
        for line in lines:
            buffer.write(line)
            buffer.write(self.suffix)
            buffer.write("\n")
            count += 1
            if count % 100_000 == 0:
                self._flush(buffer)
                buffer = io.StringIO()
        self._flush(buffer)
        return count

    def _flush(self, buffer: io.StringIO) -> None:
        buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        self.cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', buffer)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _load_dataset(scale: float) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from experts.models import Consent, Expert, Organisation, Theme
    from learning_networks.models import LearningNetwork, Meeting
    from participation.models import (
        ActivityLog,
        Attendance,
        Match,
        Placement,
        Request,
        circle_for_level,
    )
    from samen.accounts.models import Role, User

    rng = random.Random(SEED)
    n_experts = int(FULL["experts"] * scale)
    n_networks = int(FULL["networks"] * scale)
    n_placements = int(FULL["placements"] * scale)
    n_logs = int(FULL["activity_logs"] * scale)
    n_requests = int(FULL["requests"] * scale)
    n_matches = int(FULL["matches"] * scale)
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)

    with transaction.atomic():
        password = make_password(None)
        User.objects.create(
            email=COORDINATOR_EMAIL,
            name="Bench Coordinator",
            role=Role.COORDINATOR,
            password=password,
        )
        User.objects.create(
            email=FLOOR_LEAD_EMAIL, name="Bench Lead", role=Role.LEAD, password=password
        )
        themes = [Theme.objects.create(name=f"Thema {i}") for i in range(15)]
        organisations = [
            Organisation.objects.create(name=f"Organisatie {i}", kind="care_provider")
            for i in range(20)
        ]
        raw = connection.connection.cursor()

        # Experts: 70% youth, 5% under 16, most active.
        copier = _Copier(
            raw,
            Expert,
            [
                "id",
                "first_name",
                "last_name",
                "email",
                "kind",
                "expertise",
                "date_of_birth",
                "status",
                "availability_hours_per_month",
                "created_at",
                "updated_at",
            ],
        )
        statuses = ["active"] * 80 + ["paused"] * 10 + ["candidate"] * 5 + ["stopped"] * 5
        experts = []
        for pk in range(1, n_experts + 1):
            kind = "youth" if rng.random() < 0.7 else "parent"
            young = rng.random() < 0.05
            age_days = rng.randint(13 * 365, 15 * 365) if young else rng.randint(17 * 365, 60 * 365)
            experts.append((pk, kind, today - datetime.timedelta(days=age_days)))
        copier.copy(
            f"{pk}\tVoornaam{pk}\tAchternaam{pk % 997}\texpert{pk}@bench.samen\t{kind}\t"
            f"{'expertise' if pk % 3 == 0 else 'knowledge'}\t{born.isoformat()}\t"
            f"{statuses[pk % len(statuses)]}\t{pk % 21}\t"
            # Added before their placements started (400 days ago), as the inactive signal
            # counts from the later of the two.
            f"{(now - datetime.timedelta(days=500)).isoformat()}\t{now.isoformat()}"
            for pk, kind, born in experts
        )
        through = Expert.themes.through
        _Copier(raw, through, ["expert_id", "theme_id"]).copy(
            f"{pk}\t{themes[(pk + offset) % len(themes)].pk}"
            for pk, _, _ in experts
            for offset in (0, 5)
        )
        # Consent to take part: most have one; under 16 mostly from a parent.
        consents = []
        for pk, _, born in experts:
            if rng.random() < 0.9:
                under_16 = (today - born).days < 16 * 365
                if under_16 and rng.random() < 0.8:
                    consents.append(f"{pk}\tparticipation\tparent\tOuder {pk}\t{now.isoformat()}")
                else:
                    consents.append(f"{pk}\tparticipation\tself\t\t{now.isoformat()}")
        _Copier(
            raw, Consent, ["expert_id", "purpose", "given_by", "given_by_name", "given_at"]
        ).copy(consents)

        # Networks with their meetings over the last year.
        _Copier(
            raw,
            LearningNetwork,
            ["id", "name", "slug", "target_youth", "target_parents", "max_group_size", "is_active"],
        ).copy(
            f"{pk}\tLeernetwerk {pk:03d}\tleernetwerk-{pk}\t3\t2\t"
            f"{'12' if pk % 10 == 0 else chr(92) + 'N'}\tt"
            for pk in range(1, n_networks + 1)
        )
        meetings = []
        meeting_pk = 0
        for network in range(1, n_networks + 1):
            for index in range(FULL["meetings_per_network"]):
                meeting_pk += 1
                starts = now - datetime.timedelta(days=30 * index + rng.randint(0, 20), hours=3)
                meetings.append(
                    (meeting_pk, network, starts, rng.randint(5, 13) if index < 3 else 8)
                )
        _Copier(
            raw,
            Meeting,
            [
                "id",
                "network_id",
                "kind",
                "title",
                "starts_at",
                "ends_at",
                "status",
                "expected_participants",
                "is_online",
            ],
        ).copy(
            f"{pk}\t{network}\tplenary\tBijeenkomst {pk}\t{starts.isoformat()}\t"
            f"{(starts + datetime.timedelta(hours=2)).isoformat()}\theld\t{size}\tf"
            for pk, network, starts, size in meetings
        )

        # Placements: about five networks per expert, never twice in one network.
        placement_statuses = ["active"] * 70 + ["paused"] * 10 + ["proposed"] * 5 + ["ended"] * 15
        placements = []
        per_expert = {}
        members: dict[int, list[int]] = {}
        pk = 0
        while pk < n_placements:
            for expert_pk, _, _ in experts:
                if pk >= n_placements:
                    break
                taken = per_expert.setdefault(expert_pk, set())
                network = rng.randint(1, n_networks)
                if network in taken:
                    continue
                taken.add(network)
                pk += 1
                level = rng.randint(1, 5)
                status = placement_statuses[rng.randrange(len(placement_statuses))]
                placements.append((pk, expert_pk, network, level, status))
                if status == "active":
                    members.setdefault(network, []).append(expert_pk)
        first_placement = {}
        for pk, expert_pk, *_ in placements:
            first_placement.setdefault(expert_pk, pk)
        _Copier(
            raw,
            Placement,
            [
                "id",
                "expert_id",
                "network_id",
                "status",
                "ladder_level",
                "circle",
                "circle_overridden",
                "starts_on",
                "ends_on",
                "end_reason",
                "hours_per_month",
                "created_at",
            ],
        ).copy(
            f"{pk}\t{expert_pk}\t{network}\t{status}\t{level}\t{circle_for_level(level)}\tf\t"
            f"{(today - datetime.timedelta(days=400)).isoformat()}\t"
            + (
                f"{(today - datetime.timedelta(days=30)).isoformat()}\tKlaar"
                if status == "ended"
                else "\\N\t"
            )
            + f"\t4\t{now.isoformat()}"
            for pk, expert_pk, network, level, status in placements
        )

        # Attendance: five active members at each meeting.
        attendance = []
        for meeting_pk, network, _starts, _size in meetings:
            pool = members.get(network, [])
            for expert_pk in rng.sample(pool, min(5, len(pool))):
                attendance.append(f"{meeting_pk}\t{expert_pk}\tpresent\t2")
        _Copier(raw, Attendance, ["meeting_id", "expert_id", "status", "hours"]).copy(attendance)

        # Requests and matches.
        _Copier(
            raw,
            Request,
            ["id", "title", "question", "organisation_id", "role", "status", "created_at"],
        ).copy(
            f"{pk}\tVraag {pk}\tWil je meedenken?\t{organisations[pk % 20].pk}\teducation\t"
            f"{('open', 'matching', 'matched', 'done')[pk % 4]}\t{now.isoformat()}"
            for pk in range(1, n_requests + 1)
        )
        match_statuses = ("proposed", "declined", "withdrawn")
        pairs = set()
        while len(pairs) < n_matches:
            pairs.add((rng.randint(1, n_requests), rng.randint(1, n_experts)))
        _Copier(
            raw,
            Match,
            ["request_id", "expert_id", "status", "expectations", "hours", "proposed_at"],
        ).copy(
            f"{request}\t{expert_pk}\t{match_statuses[(request + expert_pk) % 3]}"
            f"\tMeelezen\t3\t{now.isoformat()}"
            for request, expert_pk in sorted(pairs)
        )

        # A million hours over two years; the last 60 days are partly still waiting.
        kinds = ["meeting", "prep", "request", "project", "training", "other"]
        approved_at = now.isoformat()

        days = [(today - datetime.timedelta(days=age)).isoformat() for age in range(730)]

        # Hours are logged as time goes by, so the table is (roughly) in date order on disk.
        ages = sorted((rng.randint(0, 729) for _ in range(n_logs)), reverse=True)

        def logs():
            for pk, age in enumerate(ages, start=1):
                expert_pk = rng.randint(1, n_experts)
                roll = rng.random()
                if roll < 0.05:
                    status, approved = "rejected", "\\N"
                elif age < 60 and roll < 0.5:
                    status, approved = "submitted", "\\N"
                else:
                    status, approved = "approved", approved_at
                yield (
                    f"{pk}\t{expert_pk}\t{first_placement.get(expert_pk, chr(92) + 'N')}\t"
                    f"{days[age]}\t{kinds[pk % 6]}\t{(pk % 8 + 1) / 2}\t{status}\t"
                    f"{approved}\t{approved_at}"
                )

        _Copier(
            raw,
            ActivityLog,
            [
                "id",
                "expert_id",
                "placement_id",
                "date",
                "kind",
                "hours",
                "status",
                "approved_at",
                "created_at",
            ],
        ).copy(logs())

        # Explicit ids were given: move every sequence past them.
        for model in (Expert, LearningNetwork, Meeting, Placement, Request, ActivityLog):
            table = model._meta.db_table
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )
    return {
        "experts": n_experts,
        "networks": n_networks,
        "placements": len(placements),
        "activity_logs": n_logs,
        "meetings": len(meetings),
        "attendance": len(attendance),
        "requests": n_requests,
        "matches": n_matches,
    }


def _bench_expert() -> int:
    """The expert whose own pages are measured: a new expert with an account, two active
    placements, ``EXPERT_YEARS`` years of hours (three entries a week, older ones paid), a
    payment per month, proposals to answer and a confirmed match. Returns the number of
    hour entries. The same in both datasets: the expert's pages must not grow with the rest."""
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from experts.models import Consent, ConsentPurpose, Expert
    from learning_networks.models import LearningNetwork
    from participation.models import (
        ActivityLog,
        Match,
        Payment,
        Placement,
        Request,
        circle_for_level,
    )
    from samen.accounts.models import Role, User

    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.create(
            email=EXPERT_EMAIL, name="Bench Expert", role=Role.EXPERT, password=make_password(None)
        )
        expert = Expert.objects.create(
            user=user,
            first_name="Bench",
            last_name="Expert",
            email=EXPERT_EMAIL,
            kind="youth",
            expertise="knowledge",
            date_of_birth=today.replace(year=today.year - 20, day=1),
            status="active",
            availability_hours_per_month=Decimal("12"),
            welcomed_at=now,
        )
        for purpose in ConsentPurpose.values:
            Consent.objects.create(
                expert=expert, purpose=purpose, given_at=now - datetime.timedelta(days=800)
            )
        placements = [
            Placement.objects.create(
                expert=expert,
                network=network,
                ladder_level=4,
                circle=circle_for_level(4),
                starts_on=today - datetime.timedelta(days=365 * EXPERT_YEARS + 30),
                hours_per_month=Decimal("6"),
            )
            for network in LearningNetwork.objects.order_by("pk")[:2]
        ]
        # A payment per month; the entries older than six weeks are paid in their month's.
        first = today - datetime.timedelta(days=365 * EXPERT_YEARS)
        payments = {}
        month = today.replace(day=1)
        while month >= first.replace(day=1):
            paid = month < (today - datetime.timedelta(days=45)).replace(day=1)
            payments[(month.year, month.month)] = Payment.objects.create(
                expert=expert,
                payee_name=expert.full_name,
                payment_scheme="allowance",
                year=month.year,
                month=month.month,
                allowance_amount=Decimal("27.00"),
                costs_amount=Decimal("12.60"),
                status="paid" if paid else "payable",
                paid_at=now if paid else None,
                reference=f"BENCH-{month:%Y-%m}-1",
            )
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        logs = []
        day = first
        while day <= today:
            for offset in (0, 2, 4):
                date = day + datetime.timedelta(days=offset)
                if date > today:
                    break
                payment = payments[(date.year, date.month)]
                paid = payment.status == "paid"
                approved = paid or len(logs) % 2 == 1
                logs.append(
                    ActivityLog(
                        expert=expert,
                        placement=placements[len(logs) % 2],
                        date=date,
                        kind="meeting",
                        hours=Decimal("1.5"),
                        travel_costs=Decimal("4.20"),
                        status="paid" if paid else ("approved" if approved else "submitted"),
                        approved_at=now if approved else None,
                        payment=payment if paid else None,
                        description="Bijeenkomst",
                    )
                )
            day += datetime.timedelta(days=7)
        ActivityLog.objects.bulk_create(logs)
        for number in range(6):
            request = Request.objects.create(
                title=f"Vraag voor de bench {number}",
                question="Wil je meedenken?",
                network=placements[0].network,
                role="education",
                expected_hours=Decimal("3"),
            )
            Match.objects.create(
                request=request,
                expert=expert,
                hours=Decimal("3"),
                expectations="Twee keer meelezen en een gesprek.",
                **(
                    {
                        "status": "confirmed",
                        "expert_confirmed_at": now,
                        "requester_confirmed_at": now,
                    }
                    if number == 0
                    else {"status": "proposed"}
                ),
            )
    return len(logs)


def step_sessions(args: list[str]) -> None:
    """A database session for the coordinator and for the floor's lead, as cookies."""
    _setup_django()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from samen.accounts.models import User

    cookies = {}
    for name, email in (
        ("coordinator", COORDINATOR_EMAIL),
        ("floor", FLOOR_LEAD_EMAIL),
        ("expert", EXPERT_EMAIL),
    ):
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[name] = session.session_key
    _emit(cookies)


def step_queries(args: list[str]) -> None:
    """SQL queries per request, counted in-process through Django's test Client."""
    _setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from samen.accounts.models import User

    setup_test_environment()
    paths = {
        "floor": reverse("lead:home"),
        "dashboard": reverse("coordinator:dashboard"),
    }
    try:
        paths["expert_list"] = reverse("coordinator:expert_list")
    except NoReverseMatch:
        paths["expert_list"] = None
    paths.update(_expert_pages())
    clients = {}
    for name, email in (
        ("coordinator", COORDINATOR_EMAIL),
        ("floor", FLOOR_LEAD_EMAIL),
        ("expert", EXPERT_EMAIL),
    ):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(email=email))
    measured = {
        "floor": ("floor", paths["floor"]),
        # ?refresh=1: the request computes the figures; then one served from the cache.
        "dashboard": ("coordinator", paths["dashboard"] + "?refresh=1"),
        "dashboard_cached": ("coordinator", paths["dashboard"]),
        "expert_list": ("coordinator", paths["expert_list"]),
        **{page: ("expert", path) for page, path in paths.items() if page.startswith("expert:")},
    }
    counts = {}
    for page, (who, path) in measured.items():
        if path is None:
            continue
        client = clients[who]
        client.get(path)  # the first request records allauth's user session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200 and page.startswith("expert:"):
            # A page of the expert's door that only takes a form (405) or only a redirect.
            paths.pop(page)
            continue
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code} in-process")
        counts[page] = len(queries)
    _emit({"paths": paths, "counts": counts})


def _expert_pages() -> dict[str, str]:
    """Every page of the expert's door that shows something without an id (``expert:name``:
    path), found in the URL map, so a new page is measured without being listed."""
    from django.urls import URLPattern, get_resolver, reverse

    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "expert"
    )
    pages = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLPattern) and not pattern.pattern.converters:
            path = reverse(f"expert:{pattern.name}")
            pages[f"expert:{pattern.name}"] = path
    return pages


def step_bare(args: list[str]) -> None:
    """The bare Django floor (bench/bare's settings): its database, user, session and queries."""
    _ensure_database(os.environ["DATABASE_URL"])
    _setup_django()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    call_command("migrate", interactive=False, verbosity=0)
    user, _ = User.objects.get_or_create(
        username=BARE_USERNAME, defaults={"password": make_password(None)}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    setup_test_environment()
    client = Client()
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    if response.status_code != 200:
        raise SystemExit(f"bench: the bare floor answered {response.status_code} in-process")
    _emit({"path": "/", "cookie": session.session_key, "queries": len(queries)})


STEPS = {
    "_build": step_build,
    "_sessions": step_sessions,
    "_queries": step_queries,
    "_bare": step_bare,
}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        STEPS[sys.argv[1]](sys.argv[2:])
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
