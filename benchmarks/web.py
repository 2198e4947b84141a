"""Web latency under load: saving a CRF and randomizing, 20 concurrent clients, PostgreSQL.

Seeds a PostgreSQL database with ``--subjects`` screened and consented subjects at 50
sites (through the services, so every row has its audit trail), randomizes most of
them, serves the real application with waitress in this process, and lets ``--clients``
signed-in research coordinators, each on its own keep-alive HTTP connection, save
concomitant-medication CRFs (``POST /api/subjects/{id}/records``) and randomize the
remaining subjects (``POST /api/subjects/{id}/randomization``) as fast as they can.
Prints p50/p95/p99 per operation. Targets (issue 6): p95 < 100 ms for a CRF save and
< 200 ms for a randomization. Asserts nothing.

Run: ``.venv/bin/python benchmarks/web.py`` (database ``oncotrial_bench`` on
``postgresql://postgres@127.0.0.1:5432``, dropped and re-created; ``--subjects 1000``
for a quick run).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import threading
import time
from datetime import date
from http.cookies import SimpleCookie
from typing import Any

PASSWORD = "benchmark password " + secrets.token_hex(8)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


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


def setup_database(url: str) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ONCOTRIAL_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ONCOTRIAL_HTTPS"] = "0"
    os.environ["ONCOTRIAL_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncotrial.web.django_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def seed(
    subjects: int, sites: int, clients: int, unrandomized: int
) -> tuple[list[str], list[str], list[str]]:
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
    usernames = [f"coordinator{i:02d}" for i in range(clients)]
    users = [
        do_create_user(ctx, username=u, role="coordinator", sites=codes, password=PASSWORD) for u in usernames
    ]
    statistician = do_create_user(ctx, username="statistician", role="statistician")
    core_list = allocation_list_for(current_protocol(), seed=7, per_stratum=subjects)
    do_load_allocation_list(AuditContext(statistician), core_list, name="bench", is_test=False)
    worker = AuditContext(users[0])
    ids, randomized, pending = [], [], []
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
            randomized.append(subject.subject_id)
        else:
            pending.append(subject.subject_id)
        ids.append(subject.subject_id)
        if (i + 1) % 1000 == 0:
            print(f"  seeded {i + 1} subjects ({time.perf_counter() - start:.0f} s)", flush=True)
    return usernames, randomized, pending


def run_load(
    host: str, port: int, usernames: list[str], randomized: list[str], pending: list[str], seconds: float
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
    args = parser.parse_args()
    unrandomized = min(args.subjects // 5, 2000)
    print(f"Seeding {args.subjects} subjects at {args.sites} sites on PostgreSQL…", flush=True)
    t0 = time.perf_counter()
    setup_database(args.url)
    usernames, randomized, pending = seed(args.subjects, args.sites, args.clients, unrandomized)
    print(f"  seeded in {time.perf_counter() - t0:.1f} s", flush=True)

    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    server = create_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=args.clients)
    port = server.socket.getsockname()[1]  # type: ignore[union-attr]
    threading.Thread(target=server.run, daemon=True).start()
    print(f"Load: {args.clients} clients for {args.seconds:.0f} s against waitress ({args.clients} threads)…")
    timings = run_load("127.0.0.1", port, usernames, randomized, pending, args.seconds)
    server.close()
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
    _report_size(args.url)


def _report_size(url: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cursor.fetchone()[0]}")


if __name__ == "__main__":
    main()
