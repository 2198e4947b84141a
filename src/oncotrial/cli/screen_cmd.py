"""``oncotrial screen PATIENT.json``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from oncotrial.cli.output import console, domain_errors, emit, read_json_file
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.eligibility.screening import ScreeningResult, ScreeningStatus, screen
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol

STYLE = {True: "green", False: "red", None: "yellow"}


def context_for(p: Protocol, on: date) -> ScreeningContext:
    return ScreeningContext(on=on, lab_recency_days=int(str(p.assumption("lab_recency_days"))),
                            imaging_recency_days=int(str(p.assumption("imaging_recency_days"))))


def render_screening(result: ScreeningResult) -> None:
    table = Table(title=f"Screening of {result.patient_id} on {result.context.on}")
    for col in ("Code", "Condition (protocol rule)", "Verdict", "Reason"):
        table.add_column(col)
    for v in result.verdicts:
        style = STYLE[v.passes]
        table.add_row(v.code, v.rule, f"[{style}]{v.label}[/]", v.reason)
    console.print(table)
    colour = {ScreeningStatus.ELIGIBLE: "green", ScreeningStatus.NOT_ELIGIBLE: "red",
              ScreeningStatus.INCOMPLETE: "yellow"}[result.status]
    console.print(f"[bold {colour}]{result.status.value.replace('_', ' ').upper()}[/]"
                  + (f": fails {', '.join(v.code for v in result.failed)}" if result.failed else "")
                  + (f"; not evaluable {', '.join(v.code for v in result.not_evaluable)}"
                     if result.not_evaluable else ""))


def screen_command(
    patient: Path = typer.Argument(..., help="Patient JSON file (see docs/patient-format.md)."),
    on: str | None = typer.Option(None, "--on", help="Screening date YYYY-MM-DD (default today)."),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Evaluate every eligibility criterion for one patient and show each verdict."""
    with domain_errors(as_json):
        p = load(protocol)
        candidate = candidate_from_data(read_json_file(patient, "patient"))
        day = date.today() if on is None else _date(on)
        result = screen(candidate, p.eligibility.criteria, context_for(p, day))
        emit(result.to_dict(), lambda: render_screening(result), as_json)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError("--on", text, "a date as YYYY-MM-DD") from None
