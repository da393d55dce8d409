"""The main pages and API lists on portfolios 10× and 100× Isère's demo, served like production.

For each database (SQLite, PostgreSQL) and scale (10, 100) it

1. generates the portfolio with `reciproca generate_portfolio --scale N` (or reuses it when the
   database already holds one of that size): SQLite in `var/bench/scaleN.sqlite3`, PostgreSQL in
   the database `<--pg-prefix>N` on `--pg-url`;
2. serves it with gunicorn (2 workers, DEBUG off, `RECIPROCA_BENCH=1`, loopback only);
3. asks every main page and API list, as the host's officer and as a partner, each request
   followed by one of the bare view `/_bench/bare/` (the same middleware stack, no query, no
   template), and reports the **server time** p50/p95 — read from the `Server-Timing` header the
   bench middleware adds (`reciproca/core/bench.py`: from the request entering Django to the
   response leaving it), so the client's own time is not in it — the queries
   (`X-Bench-Queries`) and the ratio of the page's p50 to the bare view's p50;
4. runs a bounded load (a thread pool on loopback; at most `--load-requests` requests and
   `--load-seconds` seconds per level) over the pages at concurrency 1, 4 and 16, then the bare
   view the same way, and reports throughput, p50 and p99 (client side, the whole round trip)
   and errors, each with its ratio to the bare view.

The machine is shared: compare ratios, not milliseconds. Results are printed and written to
`var/bench/bench_scale.json`.

    uv run --frozen python bench/bench_scale.py                      # 10× and 100×, both engines
    uv run --frozen python bench/bench_scale.py --scale 10 --db sqlite --quick
    uv run --frozen python bench/bench_scale.py --scale 100 --db postgres --quick \\
        --pg-url postgres://postgres@127.0.0.1:5432/ --pg-prefix wt11abench_s
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
PYTHON = sys.executable
BARE = "/_bench/bare/"

# Run inside the served database's environment: a session for each persona and the objects the
# pages are asked about (a copy of the Sevan project, in implementation, with results and money).
PROBE = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from reciproca.accounts.models import User
from reciproca.demo.portfolio import SEPARATOR
from reciproca.projects.models import Project
generated = Project.objects.filter(reference__contains=SEPARATOR).count()
total = Project.objects.count()
out = {"projects": total, "generated": generated}
if generated and os.environ.get("BENCH_SESSIONS"):
    copies = total // Project.objects.exclude(reference__contains=SEPARATOR).count() - 1
    k = max(1, copies // 2)
    project = Project.objects.get(reference=f"GUE-2024-001{SEPARATOR}{k}")
    def session(username):
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # The backend the settings name: a session naming another is anonymous (a login page).
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key
    out |= {
        "project": project.pk,
        "partnership": project.partnership_id,
        "officer": session("marie.dupont"),
        "partner": session(f"anna.petrosyan.{k}"),
    }
print(json.dumps(out))
"""


def pages(probe: dict[str, Any]) -> list[tuple[str, str]]:
    p, s = probe["project"], probe["partnership"]
    return [
        ("dashboard", "/"),
        ("partnership list", "/partenariats/"),
        ("partnership page", f"/partenariats/{s}/"),
        ("project list", "/projets/"),
        ("project page", f"/projets/{p}/"),
        ("diagnosis", f"/diagnostic/{p}/"),
        ("conformity report", f"/diagnostic/{p}/conformite/"),
        ("results page", f"/resultats/{p}/"),
        ("finance page", f"/finances/projet/{p}/"),
        ("pooling finder", f"/mutualisation/projet/{p}/"),
        ("API projects", "/api/v1/projects/"),
        ("API partnerships", "/api/v1/partnerships/"),
        ("API organisations", "/api/v1/organisations/"),
        ("API diagnoses", "/api/v1/diagnoses/"),
        ("API diagnosis cells", "/api/v1/diagnosis-cells/"),
        ("API diagnosis versions", "/api/v1/diagnosis-versions/"),
    ]


# --- databases and servers ----------------------------------------------------------------


def env_for(db: str, scale: int, args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    if db == "sqlite":
        url = f"sqlite:///{WORK / f'scale{scale}.sqlite3'}"
    else:
        url = f"{args.pg_url.rstrip('/')}/{args.pg_prefix}{scale}"
    env |= {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "RECIPROCA_DEBUG": "0",
        "RECIPROCA_BENCH": "1",
        "RECIPROCA_STAFF_2FA": "0",
        "RECIPROCA_ALLOWED_HOSTS": "127.0.0.1",
        "RECIPROCA_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "RECIPROCA_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "RECIPROCA_LOG_LEVEL": "ERROR",
    }
    return env


def manage(env: dict[str, str], *argv: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *argv], env=env, cwd=ROOT, check=True)


def probe(env: dict[str, str], sessions: bool = False) -> dict[str, Any]:
    run_env = env | ({"BENCH_SESSIONS": "1"} if sessions else {})
    result = subprocess.run(
        [PYTHON, "-c", PROBE], env=run_env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        return {"projects": -1, "generated": 0, "error": result.stderr[-400:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def ensure_portfolio(db: str, scale: int, args: argparse.Namespace) -> dict[str, str]:
    env = env_for(db, scale, args)
    state = probe(env)
    if state.get("generated") and state["projects"] >= 90 * scale:
        print(f"  {db} {scale}×: portfolio present ({state['projects']} projects), reused")
        return env
    print(f"  {db} {scale}×: generating the portfolio…", flush=True)
    if db == "sqlite":
        path = WORK / f"scale{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = f"{args.pg_prefix}{scale}"
        admin = args.pg_url.rstrip("/")
        subprocess.run(["dropdb", "--if-exists", "-d", f"{admin}/postgres", name], check=False)
        subprocess.run(["createdb", "-d", f"{admin}/postgres", name], check=False)
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_reference")
    manage(env, "charter", "load", str(ROOT / "reciproca/charter/charters/isere.yaml"))
    manage(env, "generate_portfolio", "--scale", str(scale))
    print(f"  {db} {scale}×: generated in {time.perf_counter() - started:.0f} s", flush=True)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _h, _t = request(self.port, BARE, "")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not answer on /_bench/bare/")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


_local = threading.local()


def request(port: int, path: str, session: str) -> tuple[int, dict[str, str], float]:
    """One GET on a kept-alive connection of this thread; (status, headers, seconds)."""
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(_local, "port", None) != port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
        _local.conn, _local.port = conn, port
    headers = {"Cookie": f"sessionid={session}", "Accept-Language": "fr"} if session else {}
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        _local.conn = None
        raise
    elapsed = time.perf_counter() - start
    if response.getheader("Connection", "").lower() == "close":
        _local.conn = None
    return response.status, {k.lower(): v for k, v in response.getheaders()}, elapsed


def server_ms(headers: dict[str, str]) -> float:
    value = headers.get("server-timing", "app;dur=nan")
    return float(value.split("dur=")[1])


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- measurements ------------------------------------------------------------------------


def measure_pages(
    port: int, probe_: dict[str, Any], repeat: int, personas: list[str]
) -> list[dict]:
    rows = []
    for persona in personas:
        session = probe_[persona]
        for name, path in pages(probe_):
            times, bare, queries, statuses = [], [], 0, set()
            for i in range(repeat):
                status, headers, elapsed = request(port, path, session)
                statuses.add(status)
                times.append(server_ms(headers))
                queries = int(headers.get("x-bench-queries", "-1"))
                _s, bare_headers, _e = request(port, BARE, session)
                bare.append(server_ms(bare_headers))
                if elapsed > 10 or (i >= 2 and (elapsed > 3 or sum(times) > 20_000)):
                    break  # a slow page: one sample (over 10 s) or three are enough
            row = {
                "persona": persona,
                "page": name,
                "path": path,
                "status": sorted(statuses),
                "n": len(times),
                "p50_ms": pct(times, 0.5),
                "p95_ms": pct(times, 0.95),
                "bare_p50_ms": pct(bare, 0.5),
                "queries": queries,
            }
            row["ratio_p50"] = row["p50_ms"] / row["bare_p50_ms"]
            rows.append(row)
            print(
                f"    {persona:8} {name:24} {row['p50_ms']:9.1f} ms p50 {row['p95_ms']:9.1f} p95"
                f"  {queries:4} q  ×{row['ratio_p50']:8.1f} bare  {row['status']}",
                flush=True,
            )
    return rows


def load(
    port: int, paths: list[str], session: str, concurrency: int, limit: int, seconds: float
) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        nonlocal issued, errors
        while True:
            with lock:
                if issued >= limit or time.monotonic() > deadline:
                    return
                path = paths[issued % len(paths)]
                issued += 1
            try:
                status, _h, elapsed = request(port, path, session)
                ok = status == 200
            except OSError:
                ok, elapsed = False, 0.0
            with lock:
                if ok:
                    latencies.append(elapsed * 1000)
                else:
                    errors += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    wall = time.perf_counter() - start
    return {
        "concurrency": concurrency,
        "requests": len(latencies) + errors,
        "seconds": wall,
        "throughput_rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": pct(latencies, 0.5),
        "p99_ms": pct(latencies, 0.99),
        "errors": errors,
    }


def load_runs(
    port: int, probe_: dict[str, Any], args: argparse.Namespace, page_rows: list[dict]
) -> list[dict]:
    # Pages over --load-max-ms at p50 would only measure the queue behind them: left out, and
    # named, so the load stays bounded in time.
    slow = {r["path"] for r in page_rows if r["p50_ms"] > args.load_max_ms}
    paths = [path for _name, path in pages(probe_) if path not in slow]
    if slow:
        print(f"    load run without the pages over {args.load_max_ms:.0f} ms: {sorted(slow)}")
    if not paths:
        return []
    rows = []
    for concurrency in (1, 4, 16):
        page = load(
            port, paths, probe_["officer"], concurrency, args.load_requests, args.load_seconds
        )
        bare = load(
            port, [BARE], probe_["officer"], concurrency, args.load_requests, args.load_seconds
        )
        row = {
            "concurrency": concurrency,
            "pages": page,
            "bare": bare,
            "throughput_ratio": page["throughput_rps"] / bare["throughput_rps"]
            if bare["throughput_rps"]
            else float("nan"),
            "p50_ratio": page["p50_ms"] / bare["p50_ms"],
            "p99_ratio": page["p99_ms"] / bare["p99_ms"],
        }
        rows.append(row)
        print(
            f"    c={concurrency:2}  pages {page['throughput_rps']:7.2f} req/s"
            f" p50 {page['p50_ms']:8.1f} p99 {page['p99_ms']:8.1f} ms"
            f" err {page['errors']} ({page['requests']} req)  |  bare"
            f" {bare['throughput_rps']:7.1f} req/s"
            f" p50 {bare['p50_ms']:6.1f} p99 {bare['p99_ms']:6.1f}"
            f"  →  throughput ×{row['throughput_ratio']:.3f}, p50 ×{row['p50_ratio']:.0f},"
            f" p99 ×{row['p99_ratio']:.0f}",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="10, 100 (repeatable)")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--quick", action="store_true", help="fewer samples, officer only")
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    )
    parser.add_argument("--pg-prefix", default="reciproca_bench_scale")
    parser.add_argument("--load-requests", type=int, default=0)
    parser.add_argument("--load-seconds", type=float, default=0)
    parser.add_argument("--no-load", action="store_true", help="pages only, no load run")
    parser.add_argument(
        "--load-max-ms", type=float, default=3000, help="pages slower (p50) stay out of the load"
    )
    args = parser.parse_args()
    scales = args.scale or [10, 100]
    dbs = args.db or ["sqlite", "postgres"]
    repeat = 3 if args.quick else 15
    args.load_requests = args.load_requests or (48 if args.quick else 320)
    args.load_seconds = args.load_seconds or (30 if args.quick else 90)
    personas = ["officer"] if args.quick else ["officer", "partner"]
    WORK.mkdir(parents=True, exist_ok=True)
    out_path = WORK / "bench_scale.json"
    results: dict[str, Any] = json.loads(out_path.read_text()) if out_path.exists() else {}
    for db in dbs:
        for scale in scales:
            print(f"== {db}, {scale}× Isère's demo", flush=True)
            env = ensure_portfolio(db, scale, args)
            state = probe(env, sessions=True)
            server = Server(env)
            try:
                for _ in range(3):  # warm both workers
                    request(server.port, "/", state["officer"])
                print(f"  pages ({state['projects']} projects; server time from Server-Timing)")
                page_rows = measure_pages(server.port, state, repeat, personas)
                refused = [r for r in page_rows if r["status"] != [200]]
                if refused:
                    # A login redirect or a refusal is a few milliseconds: not the page's figure.
                    names = ", ".join(f"{r['persona']} {r['page']} {r['status']}" for r in refused)
                    raise SystemExit(f"not measured, the page did not answer 200: {names}")
                load_rows = [] if args.no_load else load_runs(server.port, state, args, page_rows)
            finally:
                server.stop()
            results[f"{db}-{scale}"] = {
                "load_left_out": sorted(
                    r["path"] for r in page_rows if r["p50_ms"] > args.load_max_ms
                ),
                "projects": state["projects"],
                "quick": args.quick,
                "at": time.strftime("%Y-%m-%d %H:%M:%S"),
                "pages": page_rows,
                "load": load_rows,
            }
            out_path.write_text(json.dumps(results, indent=1))
    print(f"written: {out_path}")


if __name__ == "__main__":
    main()
