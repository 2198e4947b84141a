"""``oncotrial export adam TRIAL.json --out DIR``: CDISC ADaM datasets as XPT v5 and Dataset-JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from oncotrial.cli.export_source import DATABASE, check_source, database_dataset, database_records
from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors, emit, read_json_file
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.errors import DomainError

if TYPE_CHECKING:
    from oncotrial.exports.clinical_records import ClinicalRecords

app = typer.Typer(
    no_args_is_help=True,
    help="Standards exports: CDISC SDTM, ADaM, Define-XML, ODM; FHIR R4; all of them from the database.",
)


@app.callback()
def export() -> None:
    """Standards exports (a group, so that `adam` stays a sub-command)."""


class Format(StrEnum):
    XPT = "xpt"
    JSON = "json"
    BOTH = "both"


@app.command("adam")
def adam_command(
    trial: Path | None = typer.Argument(None, help="Trial data JSON (docs/trial-data-format.md)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for adsl.xpt, adtte.json, …"),
    fmt: Format = typer.Option(Format.BOTH, "--format", help="xpt, json or both."),
    protocol: Path | None = PROTOCOL,
    simulated_demo: bool = typer.Option(False, "--simulated-demo",
                                        help="Export a generated SIMULATED 120-patient trial."),
    seed: int = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial."),
    strict: bool = typer.Option(False, "--strict", help="Fail when a conformance check finds anything."),
    define: bool = typer.Option(False, "--define",
                                help="Also write define.xml (Define-XML 2.1, validated against its XSD)."),
    database: Path | None = DATABASE,
    as_json: bool = JSON,
) -> None:
    """Build ADSL, ADTTE, ADRS and ADAE with the protocol's rules, check and write them.

    The trial is a trial data file, the SIMULATED demo (--simulated-demo) or the application's
    database (--database PATH: the same analysis inputs as the report, plus its clinical records).

    Values equal those of `oncotrial analyze` with the same protocol. XPT files are read
    back and compared after writing. SIMULATED data say so in every dataset label. The
    SIMULATED demo also has clinical records: ADSL gets demographics and end of study,
    and ADLB (labs with CTCAE v5.0 grades and baseline) is written too.
    """
    from oncotrial.exports.adam import build_adam, check_adam
    from oncotrial.exports.clinical_records import clinical_records_from_simulated_demo
    from oncotrial.exports.dataset_json import write_dataset_json
    from oncotrial.exports.define_xml import write_adam_define
    from oncotrial.exports.xpt import verify_xpt, write_xpt
    from oncotrial.simulation.trial_outcomes import simulated_trial

    with domain_errors(as_json):
        if trial is not None and (simulated_demo or database is not None):
            raise typer.BadParameter("give one of a trial data file, --simulated-demo or --database")
        if trial is None:
            check_source(simulated_demo, database)
        rules = load(protocol)
        records: ClinicalRecords | None
        if database is not None:
            raw = database_dataset(database).document
            records = database_records(database)
        else:
            raw = simulated_trial(seed=seed) if trial is None else read_json_file(trial, "trial")
            records = clinical_records_from_simulated_demo(seed, protocol=rules) if trial is None else None
        data = trial_data_from_mapping(raw)
        package = build_adam(data, protocol=rules, records=records)
        findings = check_adam(package.datasets)
        if findings and strict:
            raise DomainError(f"{findings[0].dataset}.{findings[0].variable}", findings[0].message,
                              "a conformant ADaM dataset", f"{len(findings)} finding(s) in all")
        created = datetime.now(UTC).replace(microsecond=0)
        files: list[str] = []
        for ds in package.datasets:
            if fmt in (Format.XPT, Format.BOTH):
                path = write_xpt(ds, out)
                verify_xpt(ds, path)
                files.append(str(path))
            if fmt in (Format.JSON, Format.BOTH):
                files.append(str(write_dataset_json(ds, out, created=created)))
        if define:
            files.append(str(write_adam_define(package, out, created=created)))
        summary: dict[str, Any] = {
            "trial": data.trial, "simulated": data.simulated, "out": str(out), "files": files,
            "records": {ds.name: len(ds.rows) for ds in package.datasets},
            "findings": [str(f) for f in findings]}
        if trial is None:
            (out / "trial.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
        emit(summary, lambda: _render(summary), as_json)


def _render(summary: dict[str, Any]) -> None:
    if summary["simulated"]:
        console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
    for name, n in summary["records"].items():
        console.print(f"{name}: {n} records")
    for path in summary["files"]:
        console.print(f"[green]wrote[/] {path}")
    for finding in summary["findings"][:20]:
        console.print(f"[yellow]conformance:[/] {finding}", highlight=False)
    if len(summary["findings"]) > 20:
        console.print(f"[yellow]… {len(summary['findings']) - 20} more finding(s)[/]")
