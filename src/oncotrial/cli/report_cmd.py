"""``oncotrial report``: the complete trial report (issue 7 §3) as HTML and PDF, with timings."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors, emit
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load


def report_command(
    out: Path = typer.Option(Path("out/report"), "--out", help="Folder for report.html and report.pdf."),
    simulated_demo: bool = typer.Option(
        False, "--simulated-demo", help="Report on a generated SIMULATED 120-patient trial."
    ),
    seed: int = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial."),
    patients: int = typer.Option(120, "--patients", min=2, help="Patients in the SIMULATED demo trial."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Write the HTML only (no Chromium needed)."),
    database: Path | None = typer.Option(
        None, "--database", help="Report on the application's database (SQLite file; DATABASE_URL wins)."
    ),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Write the trial report: CONSORT, baseline, primary endpoint, PFS/OS, response, subgroups,
    exposure and safety, every number with its population and method.

    The PDF is printed by Debian's Chromium (/usr/bin/chromium).
    """
    started = time.perf_counter()
    from oncotrial.analysis.report import write_report
    from oncotrial.analysis.report_data import simulated_report_inputs

    with domain_errors(as_json):
        if simulated_demo == (database is not None):
            raise typer.BadParameter("give --simulated-demo or --database (e.g. .oncotrial/demo.sqlite3)")
        imported = time.perf_counter()
        if database is not None:
            from oncotrial.cli.app_env import configure_app

            configure_app(database)
            from oncotrial.services.trial_dataset import trial_dataset

            dataset = trial_dataset()
            data, extras = dataset.data, dataset.extras
        else:
            data, extras = simulated_report_inputs(seed, patients=patients)
        inputs = time.perf_counter()
        files = write_report(data, extras, out, pdf=not no_pdf, protocol=load(protocol))
        timings = {
            "imports": imported - started,
            "inputs": inputs - imported,
            **files.timings,
            "wall": time.perf_counter() - started,
        }
        summary = {
            "trial": data.trial,
            "simulated": data.simulated,
            "html": str(files.html),
            "pdf": None if files.pdf is None else str(files.pdf),
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
        }

        def render() -> None:
            if data.simulated:
                console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
            console.print(f"HTML: {files.html}")
            if files.pdf is not None:
                console.print(f"PDF:  {files.pdf}")
            console.print("Timings (s): " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))

        emit(summary, render, as_json)
