"""``oncotrial protocol show|validate``."""

from __future__ import annotations

from pathlib import Path

import typer

from oncotrial.cli.output import console, domain_errors, emit, jsonable
from oncotrial.cli.protocol_view import render_protocol
from oncotrial.core.protocol.model import Protocol
from oncotrial.protocol_files import load_default_protocol, load_protocol_file

app = typer.Typer(no_args_is_help=True, help="Show and validate protocol files.")

JSON = typer.Option(False, "--json", help="Print JSON instead of readable text.")
PROTOCOL = typer.Option(None, "--protocol", "-p",
                        help="Protocol file (default: the embedded NCT07304388).")


def load(path: Path | None) -> Protocol:
    return load_default_protocol() if path is None else load_protocol_file(path)


def protocol_dict(p: Protocol) -> dict[str, object]:
    data: dict[str, object] = jsonable(p)
    eligibility = data["eligibility"]
    assert isinstance(eligibility, dict)
    for c, raw in zip(p.eligibility.criteria, eligibility["criteria"], strict=True):
        raw["rule"] = {"type": type(c.rule).__name__, "describe": c.rule.describe(),
                       **jsonable(c.rule)}
    return data


@app.command("show")
def show(protocol: Path | None = PROTOCOL, as_json: bool = JSON) -> None:
    """Print a summary of the protocol, in the spirit of the registry page."""
    with domain_errors(as_json):
        p = load(protocol)
        emit(protocol_dict(p), lambda: render_protocol(p, console), as_json)


@app.command("validate")
def validate(file: Path = typer.Argument(..., help="Protocol file (YAML or JSON)."),
             as_json: bool = JSON) -> None:
    """Check a protocol file against the protocol model; exit 2 with the bad field if invalid."""
    with domain_errors(as_json):
        p = load_protocol_file(file)
        result = {"valid": True, "file": str(file), "nct_id": p.identification.nct_id,
                  "arms": [a.code for a in p.arms], "criteria": len(p.eligibility.criteria)}
        emit(result, lambda: console.print(
            f"[green]valid[/] {file}: {p.identification.nct_id}, {len(p.arms)} arms, "
            f"{len(p.eligibility.criteria)} eligibility criteria, "
            f"{len(p.assumptions)} documented assumptions"), as_json)
