"""``oncotrial demo``: build the SIMULATED NCT07304388 trial through the application, then serve it.

The database is ``.oncotrial/demo.sqlite3`` (or ``DATABASE_URL``). A database already
built with the same patients, sites and seed is reused (and the command says so);
anything else is rebuilt from scratch. ``--rebuild`` always rebuilds.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from oncotrial.cli.app_env import DEMO_DATABASE, configure_app, migrate
from oncotrial.cli.output import SIMULATED_BANNER, console


def _sqlite_files(database: Path) -> list[Path]:
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


def _existing_build() -> dict[str, Any] | None:
    from django.db import connection

    if "persistence_studystate" not in connection.introspection.table_names():
        return None
    from oncotrial.services.simulated import study_state

    state = study_state()
    return dict(state.parameters) if state is not None and state.simulated else None


def _empty_postgresql() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def _print_accounts(summary: Any) -> None:
    from oncotrial.services.demo_staff import accounts_text

    table = Table(title="Demo accounts: DEMO ONLY, random passwords for this database, never for real data")
    table.add_column("Username, role, sites, password")
    for line in accounts_text(summary.accounts):
        table.add_row(line)
    console.print(table)


def demo_command(
    patients: int = typer.Option(120, "--patients", min=1, max=20000, help="Randomized SIMULATED patients."),
    sites: int = typer.Option(5, "--sites", min=1, max=200, help="Sites."),
    seed: int = typer.Option(20230801, "--seed", help="Seed: the same seed gives the same trial."),
    database: Path = typer.Option(DEMO_DATABASE, help="SQLite file (ignored when DATABASE_URL is set)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild even if the database matches."),
    serve: bool = typer.Option(False, "--serve", help="Serve the application when the build is done."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Processes conducting the sites at once (PostgreSQL only; a scale run, not reproducible).",
    ),
) -> None:
    """Build a SIMULATED NCT07304388 trial through the real services (and optionally serve it)."""
    from oncotrial.conductor.parameters import build_parameters

    wanted = build_parameters(patients, sites, seed, workers)
    on_postgresql = bool(os.environ.get("DATABASE_URL"))
    if workers > 1 and not on_postgresql:
        console.print(
            f"[red]--workers: got {workers}; a parallel build needs PostgreSQL (set DATABASE_URL). "
            "On SQLite use --workers 1.[/]"
        )
        raise typer.Exit(2)
    configure_app(database, local_http=True)
    console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
    existing = _existing_build()
    if existing == wanted and not rebuild:
        console.print(
            f"Reusing the demo database ({'PostgreSQL' if on_postgresql else database}) built with "
            f"{patients} patients, {sites} sites, seed {seed}. Use --rebuild to build it again."
        )
        accounts_note = "Demo passwords were printed when it was built; rebuild to get new ones."
        summary = None
    else:
        if on_postgresql:
            migrate()
            _empty_postgresql()
            console.print("Rebuilding the demo on PostgreSQL (DATABASE_URL): every table was emptied.")
        else:
            had = database.exists()
            from django.db import connections

            connections.close_all()
            for path in _sqlite_files(database):
                path.unlink(missing_ok=True)
            console.print(f"{'Rebuilding' if had else 'Building'} the demo database {database}.")
        migrate()
        summary = _build(patients, sites, seed, workers)
        accounts_note = ""
    if summary is not None:
        _print_accounts(summary)
    elif accounts_note:
        console.print(accounts_note)
    console.print(
        f"Open [bold]http://127.0.0.1:{port}/[/] and sign in (e.g. as [bold]coordinator[/]); first look at "
        "the dashboard, then a subject's timeline, the trial report (statistician) and the public /trial."
    )
    if serve:
        from django.core.wsgi import get_wsgi_application
        from waitress import serve as waitress_serve

        console.print(f"Serving at http://127.0.0.1:{port}/ (Ctrl+C to stop).")
        waitress_serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=8, ident="oncotrial")


def _relax_commit_flush() -> None:
    """On PostgreSQL, commit without waiting for the WAL flush while the demo is built.

    ``synchronous_commit = off`` (this connection only) never risks corruption: a crash may
    lose the last few commits, and a half-built demo is rebuilt anyway. Every commit is still
    atomic, and the application's own requests keep the server's setting.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def _build(patients: int, sites: int, seed: int, workers: int = 1) -> Any:
    from oncotrial.conductor.trial import conduct_trial
    from oncotrial.synthetic.generator import trial_scenario

    scenario = trial_scenario(patients=patients, sites=sites, seed=seed)
    _relax_commit_flush()
    first, last = scenario.start_date, scenario.cutoff
    total = max(1, (last - first).days)
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[day]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("Conducting the SIMULATED trial", total=total, day="")
        state = {"last": first}

        def advance(day: date) -> None:
            if day > state["last"]:
                state["last"] = day
                progress.update(task, completed=(day - first).days, day=day.isoformat())

        summary = conduct_trial(
            patients=patients, sites=sites, seed=seed, progress=advance, workers=workers
        )
        progress.update(task, completed=total)
    seconds = time.perf_counter() - started
    console.print(
        f"Built in {seconds:.1f} s: {summary.screened} screened, {summary.screen_failures} screen failures, "
        f"{summary.randomized} randomized {dict(sorted(summary.by_arm.items()))}, {summary.treatment_days} "
        f"treatment days ({summary.reduced_doses} reduced doses, {summary.delayed_cycles} delayed cycles), "
        f"{summary.adverse_events} adverse events, {summary.scans} scans, {summary.deaths} deaths; "
        f"data cut-off {summary.cutoff.isoformat()}."
    )
    return summary
