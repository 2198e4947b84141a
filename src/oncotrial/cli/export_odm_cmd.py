"""``oncotrial export odm --simulated-demo|--database PATH --out DIR``: CDISC ODM 1.3.2 (eCRF metadata
and clinical data), validated against the official ODM 1.3.2 XSD. Register in cli/main.py:

    export_cmd.app.command("odm")(export_odm_cmd.odm_command)
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from oncotrial.cli.export_source import DATABASE, check_source, database_records
from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors, emit
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load

OUT = typer.Option(..., "--out", "-o", help="Output folder (odm.xml).")
DEMO = typer.Option(False, "--simulated-demo", help="Export the generated SIMULATED 120-patient trial.")
SEED = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial.")


def odm_command(
    out: Path = OUT,
    simulated_demo: bool = DEMO,
    seed: int = SEED,
    protocol: Path | None = PROTOCOL,
    database: Path | None = DATABASE,
    as_json: bool = JSON,
) -> None:
    """Write odm.xml: the record forms (DM, AE, LB, VS, EX, RS) as ODM metadata and every subject's
    data, each value checked against its item and the file against the ODM 1.3.2 XSD."""
    from oncotrial.exports.clinical_records import clinical_records_from_simulated_demo
    from oncotrial.exports.odm import write_odm

    with domain_errors(as_json):
        check_source(simulated_demo, database)
        start = time.perf_counter()
        records = (database_records(database) if database is not None
                   else clinical_records_from_simulated_demo(seed, protocol=load(protocol)))
        built = time.perf_counter()
        extra: tuple[Any, ...] = ()
        if database is not None:  # the application's own eCRF declarations, with their data
            from oncotrial.services.exports import application_forms

            extra = application_forms()
        path = write_odm(records, out, created=datetime.now(UTC).replace(microsecond=0), extra_forms=extra)
        done = time.perf_counter()
        summary: dict[str, Any] = {
            "trial": records.study.study_id, "simulated": records.study.simulated, "out": str(out),
            "files": [str(path)], "subjects": len(records.subjects),
            "seconds": {"records": round(built - start, 3), "odm": round(done - built, 3),
                        "total": round(done - start, 3)}}
        emit(summary, lambda: _render(summary), as_json)


def _render(summary: dict[str, Any]) -> None:
    if summary["simulated"]:
        console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
    console.print(f"{summary['subjects']} subjects")
    console.print(f"[green]wrote[/] {summary['files'][0]}")
    console.print("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary["seconds"].items()))
