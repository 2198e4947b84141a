"""``oncotrial export fhir --simulated-demo|--database PATH --out DIR``: a FHIR R4 (mCODE-style)
collection Bundle.

Registered in :mod:`oncotrial.cli.export_cmd` as ``app.command("fhir")(fhir_command)``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from oncotrial.cli.export_source import DATABASE, check_source, database_records
from oncotrial.cli.output import console, domain_errors, emit
from oncotrial.cli.protocol_cmd import JSON
from oncotrial.core.errors import DomainError


def fhir_command(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the bundle JSON."),
    simulated_demo: bool = typer.Option(False, "--simulated-demo",
                                        help="Export the generated SIMULATED 120-patient trial."),
    seed: int = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial."),
    database: Path | None = DATABASE,
    as_json: bool = JSON,
) -> None:
    """Write the trial as a FHIR R4 Bundle, checked with fhir.resources (R4B) and for dangling references."""
    from oncotrial.exports.clinical_records import clinical_records_from_simulated_demo
    from oncotrial.exports.fhir import build_bundle, bundle_issues

    with domain_errors(as_json):
        check_source(simulated_demo, database)
        started = time.perf_counter()
        records = (database_records(database) if database is not None
                   else clinical_records_from_simulated_demo(seed))
        bundle = build_bundle(records)
        issues = bundle_issues(bundle)
        if issues:
            raise DomainError(issues[0].where, issues[0].message, "a valid FHIR R4 bundle",
                              f"{len(issues)} issue(s) in all")
        out.mkdir(parents=True, exist_ok=True)
        simulated = records.study.simulated
        name = f"{records.study.study_id}{'.SIMULATED' if simulated else ''}.fhir-bundle.json"
        path = out / name
        path.write_text(json.dumps(bundle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        kinds: dict[str, int] = {}
        for entry in bundle["entry"]:
            kind = entry["resource"]["resourceType"]
            kinds[kind] = kinds.get(kind, 0) + 1
        summary: dict[str, Any] = {"out": str(path), "valid": True, "simulated": simulated,
                                   "label": records.study.label, "resources": kinds,
                                   "seconds": round(time.perf_counter() - started, 2)}
        emit(summary, lambda: _render(summary), as_json)


def _render(summary: dict[str, Any]) -> None:
    if summary["simulated"]:
        console.print(f"[bold white on red] {summary['label']} [/]")
    console.print(f"[green]wrote[/] {summary['out']}: valid (fhir.resources R4B models, every reference "
                  f"resolves) in {summary['seconds']} s")
    for kind, n in summary["resources"].items():
        console.print(f"  {kind}: {n}")
