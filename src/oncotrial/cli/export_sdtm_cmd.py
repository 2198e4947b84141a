"""``oncotrial export sdtm|define --simulated-demo|--database PATH --out DIR``: CDISC SDTM (XPT v5,
Dataset-JSON 1.1) and Define-XML 2.1. Register in cli/export_cmd.py (or main.py):

    app.command("sdtm")(export_sdtm_cmd.sdtm_command)
    app.command("define")(export_sdtm_cmd.define_command)
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from oncotrial.cli.export_source import DATABASE, check_source, database_dataset, database_records
from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors, emit
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.errors import DomainError

OUT = typer.Option(..., "--out", "-o", help="Output folder.")
DEMO = typer.Option(False, "--simulated-demo", help="Export the generated SIMULATED 120-patient trial.")
SEED = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial.")


def _records(simulated_demo: bool, seed: int, protocol: Path | None, database: Path | None = None) -> Any:
    from oncotrial.exports.clinical_records import clinical_records_from_simulated_demo

    check_source(simulated_demo, database)
    if database is not None:
        return database_records(database)
    return clinical_records_from_simulated_demo(seed, protocol=load(protocol))


def sdtm_command(
    out: Path = OUT,
    simulated_demo: bool = DEMO,
    seed: int = SEED,
    protocol: Path | None = PROTOCOL,
    strict: bool = typer.Option(False, "--strict", help="Fail on any structural finding."),
    database: Path | None = DATABASE,
    as_json: bool = JSON,
) -> None:
    """Build the SDTM domains (DM, DS, SV, SE, EX, EC, AE, LB, VS, CM, MH, TU, TR, RS, TS, TA, TE, TV,
    TI), run the structural checks, write XPT v5 (read back and compared), Dataset-JSON 1.1 and
    define.xml (validated against the Define-XML 2.1 XSD)."""
    from oncotrial.exports.define_xml import write_sdtm_define
    from oncotrial.exports.sdtm.checks import check_sdtm
    from oncotrial.exports.sdtm.files import write_sdtm_json, write_sdtm_xpt
    from oncotrial.exports.sdtm.package import build_sdtm

    with domain_errors(as_json):
        timings: dict[str, float] = {}
        start = time.perf_counter()
        records = _records(simulated_demo, seed, protocol, database)
        timings["records"] = time.perf_counter() - start
        package = build_sdtm(records)
        findings = check_sdtm(package.datasets)
        timings["build+check"] = time.perf_counter() - start - timings["records"]
        if findings and strict:
            raise DomainError(
                f"{findings[0].dataset}.{findings[0].variable}",
                findings[0].message,
                "a conformant SDTM dataset",
                f"{len(findings)} finding(s) in all",
            )
        created = datetime.now(UTC).replace(microsecond=0)
        mark = time.perf_counter()
        files = [str(p) for p in write_sdtm_xpt(package, out)]
        timings["xpt"] = time.perf_counter() - mark
        mark = time.perf_counter()
        files += [str(p) for p in write_sdtm_json(package, out, created=created)]
        timings["dataset-json"] = time.perf_counter() - mark
        mark = time.perf_counter()
        files.append(str(write_sdtm_define(package, out, created=created)))
        timings["define"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - start
        summary = {
            "trial": package.study_id,
            "simulated": package.simulated,
            "out": str(out),
            "files": files,
            "records": {d.name: len(d.rows) for d in package.datasets},
            "findings": [str(f) for f in findings],
            "seconds": {k: round(v, 3) for k, v in timings.items()},
        }
        emit(summary, lambda: _render(summary), as_json)


def define_command(
    out: Path = OUT,
    simulated_demo: bool = DEMO,
    seed: int = SEED,
    protocol: Path | None = PROTOCOL,
    database: Path | None = DATABASE,
    as_json: bool = JSON,
) -> None:
    """Write define.xml (Define-XML 2.1) for SDTM (DIR/define.xml) and ADaM (DIR/adam/define.xml).

    Both are validated against the official Define-XML 2.1 XSD before they are written.
    """
    from oncotrial.exports.adam import build_adam, build_simulated_demo_adam
    from oncotrial.exports.define_xml import write_adam_define, write_sdtm_define
    from oncotrial.exports.sdtm.package import build_sdtm

    with domain_errors(as_json):
        start = time.perf_counter()
        records = _records(simulated_demo, seed, protocol, database)
        package = build_sdtm(records)
        created = datetime.now(UTC).replace(microsecond=0)
        path = write_sdtm_define(package, out, created=created)
        if database is not None:
            data = database_dataset(database).data
            adam = build_adam(data, protocol=records.study.protocol, records=records)
        else:
            adam = build_simulated_demo_adam(seed, protocol=load(protocol))
        adam_path = write_adam_define(adam, out / "adam", created=created)
        summary = {
            "trial": package.study_id,
            "simulated": package.simulated,
            "out": str(out),
            "files": [str(path), str(adam_path)],
            "records": {},
            "findings": [],
            "seconds": {"total": round(time.perf_counter() - start, 3)},
        }
        emit(summary, lambda: _render(summary), as_json)


def _render(summary: dict[str, Any]) -> None:
    if summary["simulated"]:
        console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
    for name, n in summary["records"].items():
        console.print(f"{name}: {n} records")
    console.print(f"[green]wrote[/] {len(summary['files'])} file(s) to {summary['out']}")
    for finding in summary["findings"][:20]:
        console.print(f"[yellow]structural check:[/] {finding}", highlight=False)
    console.print("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary["seconds"].items()))
