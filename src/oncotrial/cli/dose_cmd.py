"""``oncotrial dose INPUT.json``: doses and the pre-treatment decision per drug."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from oncotrial.cli.output import console, domain_errors, emit, read_json_file
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.dosing.decision import TreatmentDecision, decide
from oncotrial.core.dosing.input_data import dose_request_from_data
from oncotrial.core.dosing.report import decision_to_dict
from oncotrial.core.dosing.table_types import Action

STYLE = {Action.GIVE: "green", Action.REDUCE: "yellow", Action.HOLD: "red",
         Action.DISCONTINUE: "bold red", Action.NOT_DUE: "dim"}


def render_decision(decision: TreatmentDecision) -> None:
    b = decision.bsa
    console.print(f"[bold]Arm {decision.arm}, cycle {decision.cycle} day {decision.day}[/]  "
                  f"BSA {b.bsa_m2:.2f} m² ({b.formula.value}; {b.rule})", highlight=False)
    table = Table(title="OK to treat today?")
    for col in ("Drug", "Route", "Decision", "Dose today", "Protocol dose", "Rule that fired", "Source"):
        table.add_column(col)
    for d in decision.drugs:
        rule = d.deciding[0] if d.deciding else None
        table.add_row(
            d.drug.value, d.route.value, f"[{STYLE[d.action]}]{d.summary}[/]",
            f"{d.dose.dose_mg:g} mg" if d.dose else "—", f"{d.protocol_dose.dose_mg:g} mg",
            rule.describe() if rule else "", rule.source if rule else "")
    console.print(table)
    for note in decision.notes:
        console.print(f"[yellow]Note:[/] {note}", highlight=False)


def dose_command(
    input_file: Path = typer.Argument(..., help="Dose input JSON file (see docs/dose-input.md)."),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Calculate each drug's dose and decide give / reduce / hold / discontinue for today."""
    with domain_errors(as_json):
        p = load(protocol)
        request = dose_request_from_data(read_json_file(input_file, "input"), p)
        decision = decide(request)
        emit(decision_to_dict(decision), lambda: render_decision(decision), as_json)
