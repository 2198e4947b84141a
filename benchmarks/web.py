"""Web latency under load: saving a CRF and randomizing, 20 concurrent clients, PostgreSQL.

Seeds a PostgreSQL database with ``--subjects`` screened and consented subjects at 50
sites (through the services, so every row has its audit trail) and randomizes most of
them; the seeded state is kept as the template database ``<name>_seed`` and each run
works on a fresh copy of it (``CREATE DATABASE … TEMPLATE``), so ``--reuse`` skips the
seeding (15 minutes for 10,000 subjects) when the template was seeded with the same
``--subjects``, ``--sites`` and seeding code. Serves the real application with
``oncotrial serve --workers N --threads T`` (gunicorn: N processes × T threads; ``--workers
1`` is waitress in one process) in a child process, creates ``--clients`` research
coordinators for this run, and lets each, signed in on its own keep-alive HTTP
connection, save concomitant-medication CRFs (``POST /api/subjects/{id}/records``) and
randomize the remaining subjects (``POST /api/subjects/{id}/randomization``) as fast as
it can, without pause (a closed loop: each client waits for its answer, so the figures are
those of a saturated server: the mean latency is about clients / throughput), or with
``--pause`` seconds between its requests (a person's pace). Prints the load average before
and after the load, the workers and threads, p50/p95/p99 per operation and the throughput.
Targets (issue 6): p95 < 100 ms for a CRF save and < 200 ms for a randomization. Asserts
nothing.

Run: ``.venv/bin/python benchmarks/web.py`` (database ``oncotrial_bench`` on
``postgresql://postgres@127.0.0.1:5432``, dropped and re-created; ``--subjects 2000`` for
a quick run; ``--reuse`` to keep a matching seed). The server's sign-in throttling counters
live in Redis (``--cache-url``, default ``redis://127.0.0.1:6379/9``), as they must with
several processes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

PASSWORD = "benchmark password " + secrets.token_hex(8)
SEED_FORMAT = 2  # bump when seed() changes: a template seeded by older code is not reused


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


class Client:
    """One signed-in user on one keep-alive connection (session cookie + CSRF token)."""

    def __init__(self, host: str, port: int, username: str) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}
        self._request("GET", "/login/")
        status, _ = self._request(
            "POST",
            "/login/",
            f"username={username}&password={PASSWORD.replace(' ', '+')}".encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {username} failed: HTTP {status}")

    def _request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if "csrftoken" in self.cookies:
            all_headers["X-CSRFToken"] = self.cookies["csrftoken"]
        all_headers.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
        except (BrokenPipeError, ConnectionResetError):  # the server closed the idle connection
            self.conn.close()
            self.conn.request(method, path, body=body, headers=all_headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        return response.status, data

    def post_json(self, path: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        status, _ = self._request(
            "POST",
            path,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        return status


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True)


def _seed_marker(args: argparse.Namespace) -> str:
    return json.dumps({"format": SEED_FORMAT, "subjects": args.subjects, "sites": args.sites}, sort_keys=True)


def prepare_database(args: argparse.Namespace) -> bool:
    """Make ``args.url`` a fresh copy of the seeded template; True when the template was reused."""
    name = args.url.rsplit("/", 1)[1]
    template = f"{name}_seed"
    with _admin(args.url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (template,)
        ).fetchone()
        reuse = bool(args.reuse and row is not None and row[0] == _seed_marker(args))
        if args.reuse and not reuse:
            found = "none" if row is None else (row[0] or "no marker")
            print(f"  no reusable seed ({template}: {found}); seeding anew", flush=True)
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if reuse:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return reuse


def save_template(args: argparse.Namespace) -> None:
    """Keep the database just seeded as the template of later ``--reuse`` runs."""
    from django.db import connections

    connections.close_all()  # CREATE DATABASE … TEMPLATE needs the source without connections
    name = args.url.rsplit("/", 1)[1]
    with _admin(args.url) as conn:
        conn.execute(f'CREATE DATABASE "{name}_seed" TEMPLATE "{name}"')
        conn.execute(f'COMMENT ON DATABASE "{name}_seed" IS {_quote(_seed_marker(args))}')


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ONCOTRIAL_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ONCOTRIAL_HTTPS"] = "0"
    os.environ["ONCOTRIAL_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncotrial.web.django_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def seed(subjects: int, sites: int, unrandomized: int) -> None:
    """Sites, staff and ``subjects`` eligible consented subjects; all but ``unrandomized`` randomized."""
    from oncotrial.core.stratification import allocation_list_for
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.people import do_create_site, do_create_user
    from oncotrial.services.protocol import current_protocol
    from oncotrial.services.randomization import check_randomize_subject, do_load_allocation_list
    from oncotrial.services.subjects import check_screen_subject, do_record_consent

    with open("docs/examples/patient.json") as fh:
        example = json.load(fh)
    admin = do_create_user(AuditContext(None), username="admin", role="administrator")
    ctx = AuditContext(admin)
    codes = [f"B{i:03d}" for i in range(sites)]
    for code in codes:
        do_create_site(ctx, code=code, name=f"Benchmark site {code}")
    seeder = do_create_user(ctx, username="seeder", role="coordinator", sites=codes)
    statistician = do_create_user(ctx, username="statistician", role="statistician")
    core_list = allocation_list_for(current_protocol(), seed=7, per_stratum=subjects)
    do_load_allocation_list(AuditContext(statistician), core_list, name="bench", is_test=False)
    worker = AuditContext(seeder)
    start = time.perf_counter()
    for i in range(subjects):
        doc = json.loads(json.dumps(example))
        doc["patient_id"] = f"BENCH-{i:05d}"
        doc["site_id"] = codes[i % sites]
        doc["reference_ranges"]["site_id"] = doc["site_id"]
        doc["ecog"] = i % 2
        doc["attributes"] = {"extrahepatic_metastasis": "yes" if i % 3 else "no"}
        screening = check_screen_subject(worker, doc, on=date(2024, 3, 5))
        subject = screening.subject
        do_record_consent(worker, subject, version="1.0", consent_date=date(2024, 3, 5))
        if i < subjects - unrandomized:
            check_randomize_subject(worker, subject, f"seed-key-{i:06d}")
        if (i + 1) % 1000 == 0:
            print(f"  seeded {i + 1} subjects ({time.perf_counter() - start:.0f} s)", flush=True)


def run_staff(clients: int) -> tuple[list[str], list[str], list[str]]:
    """This run's coordinators (all sites, a password of this run) and the subject ids to use."""
    from oncotrial.persistence.models import Site, Subject, User
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.people import do_create_user

    admin = User.objects.get(username="admin")
    codes = list(Site.objects.order_by("code").values_list("code", flat=True))
    run = secrets.token_hex(3)
    usernames = [f"coordinator-{run}-{i:02d}" for i in range(clients)]
    for username in usernames:
        do_create_user(
            AuditContext(admin), username=username, role="coordinator", sites=codes, password=PASSWORD
        )
    subjects = Subject.objects.order_by("subject_id")
    randomized = list(subjects.filter(allocation__isnull=False).values_list("subject_id", flat=True))
    pending = list(subjects.filter(allocation__isnull=True).values_list("subject_id", flat=True))
    return usernames, randomized, pending


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(args: argparse.Namespace, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``oncotrial serve`` in a child process (its own process group); waits for /healthz."""
    port = _free_port()
    env = {**os.environ, "ONCOTRIAL_CACHE_URL": args.cache_url}
    if args.settings:
        env["DJANGO_SETTINGS_MODULE"] = args.settings
    command = [
        str(Path(sys.executable).with_name("oncotrial")),
        "serve",
        f"--port={port}",
        f"--threads={args.threads}",
        *([f"--workers={args.workers}"] if args.workers > 1 else []),  # 1: waitress, any version
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.returncode}):\n{_tail(log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except (OSError, http.client.HTTPException):  # not listening yet
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"the server did not answer /healthz within 120 s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)  # the server's own group: its master and workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run_load(
    host: str,
    port: int,
    usernames: list[str],
    randomized: list[str],
    pending: list[str],
    seconds: float,
    pause: float = 0.0,
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"crf_save": [], "randomize": []}
    failures: list[str] = []
    lock = threading.Lock()
    pending_iter = iter(pending)
    ready = threading.Barrier(len(usernames) + 1)
    deadline = [0.0]

    def work(index: int) -> None:
        client = Client(host, port, usernames[index])
        ready.wait()
        n = 0
        while time.perf_counter() < deadline[0]:
            if n and pause:
                time.sleep(pause)  # a person's pause between two requests
            n += 1
            if n % 4 == 0:
                with lock:
                    subject_id = next(pending_iter, None)
                if subject_id is not None:
                    t = time.perf_counter()
                    status = client.post_json(
                        f"/api/subjects/{subject_id}/randomization",
                        {},
                        {"Idempotency-Key": f"load-{subject_id}"},
                    )
                    _record("randomize", t, status, 200)
                    continue
            subject_id = randomized[(index * 7919 + n) % len(randomized)]
            payload = {
                "form": "conmed",
                "data": {
                    "medication": "paracetamol",
                    "indication": "pain",
                    "start_date": "2024-03-20",
                    "ongoing": True,
                },
            }
            t = time.perf_counter()
            status = client.post_json(f"/api/subjects/{subject_id}/records", payload)
            _record("crf_save", t, status, 201)

    def _record(kind: str, started: float, status: int, expected: int) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if status == expected:
                timings[kind].append(elapsed)
            else:
                failures.append(f"{kind}: HTTP {status}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(usernames))]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + 3600  # until every client has signed in
    ready.wait()
    deadline[0] = time.perf_counter() + seconds
    for thread in threads:
        thread.join()
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[:3]}")
    if next(pending_iter, None) is None:
        print("  every pending subject was randomized before the end: fewer randomizations than possible")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/oncotrial_bench")
    parser.add_argument("--reuse", action="store_true", help="reuse the seeded template if it matches")
    parser.add_argument(
        "--workers", type=int, default=max(2, os.cpu_count() or 2), help="server processes (1: waitress)"
    )
    parser.add_argument("--threads", type=int, default=0, help="threads per process (0: clients / workers)")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/9", help="ONCOTRIAL_CACHE_URL")
    parser.add_argument("--settings", default="", help="DJANGO_SETTINGS_MODULE of the server (a variant)")
    parser.add_argument(
        "--pause", type=float, default=0.0, help="seconds each client waits between requests (0: none)"
    )
    args = parser.parse_args()
    args.threads = args.threads or math.ceil(args.clients / args.workers)
    unrandomized = min(args.subjects // 5, 2000)
    t0 = time.perf_counter()
    reused = prepare_database(args)
    setup_django(args.url)
    if reused:
        seconds = time.perf_counter() - t0
        print(f"Reusing the seeded {args.subjects} subjects at {args.sites} sites ({seconds:.1f} s)")
    else:
        print(f"Seeding {args.subjects} subjects at {args.sites} sites on PostgreSQL…", flush=True)
        seed(args.subjects, args.sites, unrandomized)
        save_template(args)
        print(f"  seeded in {time.perf_counter() - t0:.1f} s", flush=True)
    usernames, randomized, pending = run_staff(args.clients)
    from django.db import connections

    connections.close_all()
    with tempfile.TemporaryDirectory(prefix="oncotrial-bench-") as tmp:
        log = Path(tmp) / "server.log"
        server, port = start_server(args, log)
        try:
            print(
                f"Load: {args.clients} clients for {args.seconds:.0f} s against `oncotrial serve "
                f"--workers {args.workers} --threads {args.threads}` "
                f"({'gunicorn' if args.workers > 1 else 'waitress'}); {len(pending)} subjects to randomize; "
                f"pause {args.pause:g} s between a client's requests"
            )
            print(f"  before: {_load()}", flush=True)
            timings = run_load("127.0.0.1", port, usernames, randomized, pending, args.seconds, args.pause)
            print(f"  after:  {_load()} (the clients' and server's own threads count too)")
        finally:
            stop_server(server)
    targets: dict[str, float] = {"crf_save": 100.0, "randomize": 200.0}
    print(f"{'operation':<12} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'target p95':>11}")
    for kind, values in timings.items():
        if not values:
            print(f"{kind:<12} {0:>7}")
            continue
        print(
            f"{kind:<12} {len(values):>7} {statistics.median(values):>8.1f} "
            f"{_percentile(values, 0.95):>8.1f} {_percentile(values, 0.99):>8.1f} {targets[kind]:>9.0f} ms"
        )
    done = sum(len(values) for values in timings.values())
    line = f"throughput: {done / args.seconds:.1f} requests/s"
    if not args.pause:
        mean = 1000 * args.clients * args.seconds / max(done, 1)
        line += (
            f"; closed loop, so the mean latency is about {args.clients} clients / throughput = {mean:.0f} ms"
        )
    print(line)
    _report_size()


def _report_size() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cursor.fetchone()[0]}")


if __name__ == "__main__":
    main()
