"""``oncotrial recist ASSESSMENTS.json``: RECIST 1.1 and mRECIST side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from oncotrial.cli.output import console, domain_errors, emit, read_json_file
from oncotrial.cli.protocol_cmd import JSON
from oncotrial.core.response import assess_from_dict


def _pct(value: Any) -> str:
    return "" if value is None else f"{value:+.1f}%"


def render_assessment(result: dict[str, Any]) -> None:
    criteria = result["criteria"]
    table = Table(title=f"Time-point responses (randomized {result['randomization_date']})")
    table.add_column("Scan")
    for c in criteria:
        table.add_column(f"{c}\nsum (mm)", justify="right")
        table.add_column(f"{c}\nvs baseline / nadir", justify="right")
        table.add_column(f"{c}\nresponse")
    for tp in result["time_points"]:
        row = [tp["scan_date"]]
        for c in criteria:
            r = tp["responses"][c]
            row += [f"{r['sum_mm']:g}" if r["sum_mm"] is not None else "",
                    f"{_pct(r['change_from_baseline_pct'])} / {_pct(r['change_from_nadir_pct'])}",
                    r["response"] + (f" ({r['response_as_read']} as read)"
                                     if r["response"] != r["response_as_read"] else "")]
        table.add_row(*row)
    console.print(table)
    for c in criteria:
        bor = result["best_overall_response"][c]
        event = result["pfs_event_date"][c]
        console.print(f"[bold]{c}[/]: best overall response {bor['response']}"
                      + (f" ({bor['scan_date']})" if bor.get("scan_date") else "")
                      + f"; PFS event date {event or 'none (no progression or death)'}")
        for tp in result["time_points"]:
            for note in tp["responses"][c]["notes"]:
                console.print(f"  {tp['scan_date']}: {note}")


def recist_command(
    assessments: Path = typer.Argument(..., help="Assessments JSON (see docs/recist-input.md)."),
    as_json: bool = JSON,
) -> None:
    """Per-scan responses, best overall response and PFS event date under RECIST 1.1 and mRECIST."""
    with domain_errors(as_json):
        result = assess_from_dict(read_json_file(assessments, "assessments"))
        emit(result, lambda: render_assessment(result), as_json)
