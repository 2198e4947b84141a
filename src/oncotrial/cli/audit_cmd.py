"""``oncotrial audit verify|export``: check the hash chain and extract the trail of a subject.

``verify`` exits 0 when the chain is intact and 1 at its first break (row and reason).
``export`` writes the subject's (or a form's) audit rows as CSV or JSON.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from oncotrial.cli.app_env import DEMO_DATABASE, configure_app
from oncotrial.cli.output import console

app = typer.Typer(no_args_is_help=True, help="Verify and export the append-only audit trail.")

DATABASE = typer.Option(None, "--database", help=f"SQLite file (default {DEMO_DATABASE}; DATABASE_URL wins).")


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("verify")
def verify_command(database: Path | None = DATABASE) -> None:
    """Walk the whole chain; exit 1 at the first row whose hash or order does not hold."""
    configure_app(database or DEMO_DATABASE)
    from oncotrial.services.audit import verify_audit_chain

    found = verify_audit_chain()
    if found is None:
        console.print("[green]audit chain intact[/]")
        return
    console.print(
        f"[red]audit chain broken at sequence {found.sequence}[/] (row id {found.audit_id}): {found.problem}"
    )
    raise typer.Exit(1)


@app.command("export")
def export_command(
    subject: str | None = typer.Option(None, "--subject", help="Subject id (e.g. SYS-001)."),
    form: str | None = typer.Option(None, "--form", help="Form code (e.g. labs)."),
    fmt: Format = typer.Option(Format.CSV, "--format", help="csv or json."),
    out: Path | None = typer.Option(None, "--out", help="Output file (default: standard output)."),
    database: Path | None = DATABASE,
) -> None:
    """Write the audit rows of a subject and/or a form, in chain order."""
    if subject is None and form is None:
        raise typer.BadParameter("give --subject and/or --form")
    configure_app(database or DEMO_DATABASE)
    from oncotrial.services.audit_export import audit_rows, write_audit_csv, write_audit_json

    rows = audit_rows(subject_id=subject, form=form)
    write = write_audit_csv if fmt is Format.CSV else write_audit_json
    if out is None:
        write(rows, sys.stdout)
    else:
        with out.open("w", encoding="utf-8", newline="") as stream:
            count = write(rows, stream)
        console.print(f"{count} audit rows written to {out}")
