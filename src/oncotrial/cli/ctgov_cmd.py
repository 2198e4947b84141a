"""``oncotrial ctgov export|import``: ClinicalTrials.gov API v2 study JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from oncotrial.cli.export_source import DATABASE, database_dataset
from oncotrial.cli.output import console, domain_errors, emit, print_json, read_json_file
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol
from oncotrial.exports.ctgov.draft import UnmappedField, draft_yaml, unmapped_from_report
from oncotrial.exports.ctgov.results_common import simulated_label
from oncotrial.exports.ctgov.results_rules import check_results
from oncotrial.exports.ctgov.schema import check_study, load_study_schema, validate_study
from oncotrial.exports.ctgov.study_export import StudyExport, export_study
from oncotrial.exports.ctgov.study_import import import_study

app = typer.Typer(no_args_is_help=True, help="ClinicalTrials.gov API v2 study JSON: export and import.")

SCHEMA = typer.Option(
    None, "--schema", help="OpenAPI spec to validate against (default: the Study schema bundled here).")


@app.command("export")
def export_command(
    protocol: Path | None = PROTOCOL,
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the study JSON here (default: stdout)."),
    registry: Path | None = typer.Option(
        None, "--registry-fields", help="Unmapped report of `ctgov import`: put the registry texts back."),
    schema: Path | None = SCHEMA,
    with_results: bool = typer.Option(False, "--with-results",
                                      help="Add the resultsSection of a trial data file or of the demo."),
    trial: Path | None = typer.Option(None, "--trial", help="Trial data JSON for --with-results."),
    simulated_demo: bool = typer.Option(False, "--simulated-demo",
                                        help="Results of a generated SIMULATED 120-patient trial."),
    seed: int = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial."),
    database: Path | None = DATABASE,
    as_json: bool = JSON,
) -> None:
    """Write the protocol as an API v2 study JSON, validated against the strict Study schema.

    With --with-results the resultsSection (participant flow, baseline, outcome measures
    with analyses, adverse events) is added and also checked against the registry's
    results rules; SIMULATED results say so in the file and in OUT.metadata.json.
    """
    with domain_errors(as_json):
        p = load(protocol)
        fields = _registry_fields(registry, p.identification.nct_id) if registry else ()
        simulated = False
        results = with_results or trial is not None or simulated_demo or database is not None
        if results:
            result, simulated = _with_results(p, fields, trial, simulated_demo, seed, database)
        else:
            result = export_study(p, fields)
        check_study(result.study, load_study_schema(schema))
        if results:
            check_results(result.study, simulated_label=simulated_label(p.identification.nct_id)
                          if simulated else None)
        if out is None:
            print_json(result.study)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result.study, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        summary: dict[str, Any] = {"out": str(out), "valid": True, "restored": list(result.restored),
                                   "skipped": list(result.skipped), "not_exported": list(result.not_exported),
                                   "has_results": result.study["hasResults"], "simulated": simulated}
        if simulated:
            label = simulated_label(p.identification.nct_id)
            meta = out.with_name(out.stem + ".metadata.json")
            meta.write_text(json.dumps({"label": label, "simulated": True, "study": out.name,
                                        "seed": seed if database is None else None},
                                       indent=2) + "\n", encoding="utf-8")
            summary.update(label=label, metadata=str(meta))
        emit(summary, lambda: _print_export(summary), as_json)


def _with_results(p: Protocol, fields: tuple[UnmappedField, ...], trial: Path | None, simulated_demo: bool,
                  seed: int, database: Path | None = None) -> tuple[StudyExport, bool]:
    from oncotrial.analysis.report_data import simulated_report_inputs
    from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
    from oncotrial.exports.ctgov.results_section import export_study_with_results, inputs_from_report_extras

    if [trial is not None, simulated_demo, database is not None].count(True) != 1:
        raise DomainError("--trial/--simulated-demo", None,
                          "exactly one of a trial data file, --simulated-demo or --database PATH")
    if database is not None:
        dataset = database_dataset(database)
        inputs = inputs_from_report_extras(dataset.extras)
        exported, _ = export_study_with_results(p, dataset.data, inputs=inputs, registry=fields)
        return exported, dataset.data.simulated
    if trial is not None:
        data = trial_data_from_mapping(read_json_file(trial, "trial"))
        exported, _ = export_study_with_results(p, data, registry=fields)
        return exported, data.simulated
    data, extras = simulated_report_inputs(seed)
    exported, _ = export_study_with_results(p, data, inputs=inputs_from_report_extras(extras),
                                            registry=fields)
    return exported, True


def _registry_fields(path: Path, nct_id: str) -> tuple[UnmappedField, ...]:
    report = read_json_file(path, "registry-fields")
    if isinstance(report, dict) and report.get("nct_id") not in (None, nct_id):
        raise DomainError(f"{path}:nct_id", report["nct_id"], f"the import report of {nct_id}")
    return unmapped_from_report(report)


def _print_export(summary: dict[str, Any]) -> None:
    if summary.get("simulated"):
        console.print(f"[bold white on red] {summary['label']} [/] (also in {summary['metadata']})")
    rules = "; resultsSection meets the results reporting rules" if summary.get("has_results") else ""
    console.print(f"[green]wrote[/] {summary['out']}: valid against the ClinicalTrials.gov API v2 "
                  f"Study schema (no extra keys){rules}; {len(summary['restored'])} registry field(s) "
                  "restored")
    for path in summary["skipped"]:
        console.print(f"[yellow]not restored[/] {path}: the protocol's content for it has changed")
    for note in summary["not_exported"]:
        console.print(f"[dim]not exported:[/] {note}", highlight=False)


@app.command("import")
def import_command(
    study: Path = typer.Argument(..., help="Study JSON (one API v2 study object)."),
    out: Path = typer.Option(..., "--out", "-o", help="Write the draft protocol (YAML) here."),
    report: Path | None = typer.Option(
        None, "--report", help="Write the unmapped report here (default: next to --out, .unmapped.json)."),
    schema: Path | None = SCHEMA,
    as_json: bool = JSON,
) -> None:
    """Read a study JSON into a DRAFT protocol file and a report of what could not be mapped."""
    with domain_errors(as_json):
        data = read_json_file(study, "study")
        issues = validate_study(data, load_study_schema(schema, strict=False))
        if issues:
            raise DomainError(f"{study}:{issues[0].path}", issues[0].message,
                              "a study JSON valid against the ClinicalTrials.gov API v2 Study schema")
        result = import_study(data)
        report_path = report or out.with_suffix(".unmapped.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(draft_yaml(result), encoding="utf-8")
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(result.report(), indent=2, ensure_ascii=False) + "\n",
                               encoding="utf-8")
        summary = {"draft": str(out), "report": str(report_path),
                   "criteria": len(result.draft["eligibility"]["criteria"] or []),
                   "open_values": [o.path for o in result.open_values],
                   "unmapped": [u.path for u in result.unmapped]}
        emit(summary, lambda: _print_import(summary), as_json)


def _print_import(summary: dict[str, Any]) -> None:
    console.print(f"[green]wrote[/] draft {summary['draft']} ({summary['criteria']} criteria) and report "
                  f"{summary['report']}")
    console.print(f"{len(summary['open_values'])} open value(s) to fill before "
                  f"`oncotrial protocol validate {summary['draft']}` accepts it:", highlight=False)
    for path in summary["open_values"]:
        console.print(f"  {path}", highlight=False)
    console.print(f"{len(summary['unmapped'])} field(s) of the record not mapped (reasons in the report)")
