"""``oncotrial export all --database PATH --out DIR``: every standards export of the database at once.

The database is read once; SDTM, ADaM (each a zip with define.xml), ODM, FHIR and the
ClinicalTrials.gov study with results are built, checked and validated exactly as the
single commands and the web downloads do, then written with their timings.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import typer

from oncotrial.cli.export_source import database_records
from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors


def export_all_command(
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    database: Path = typer.Option(..., "--database", help="SQLite file (DATABASE_URL wins)."),
) -> None:
    """Write SDTM, ADaM, ODM, FHIR and CT.gov exports of the database, validated, with timings."""
    with domain_errors(False):
        started = time.perf_counter()
        records = database_records(database)
        from oncotrial.services.exports import ExportKind, build_export

        timings = {"records": time.perf_counter() - started}
        created = datetime.now(UTC).replace(microsecond=0)
        out.mkdir(parents=True, exist_ok=True)
        if records.study.simulated:
            console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
        for kind in ExportKind:
            t = time.perf_counter()
            built = build_export(kind, records=records, created=created)
            (out / built.name).write_bytes(built.content)
            timings[kind.value] = time.perf_counter() - t
            console.print(f"[green]wrote[/] {out / built.name}")
        timings["total"] = time.perf_counter() - started
        console.print("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
