"""``oncotrial admin create``: the first administrator of a new (production) database.

Only an empty database accepts an administrator created without a signed-in user (the
service refuses otherwise); the password is read without echo (or from the environment
variable named by ``--password-env`` for automated deployments) and must pass the
password rules. Every later account is created by an administrator in the application.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import typer

from oncotrial.cli.app_env import DEMO_DATABASE, configure_app, migrate
from oncotrial.cli.output import console, domain_errors

app = typer.Typer(no_args_is_help=True, help="Set up a new database: migrations and the first administrator.")


@app.command("create")
def create_command(
    username: str = typer.Option(..., "--username", help="The administrator's user name."),
    email: str = typer.Option("", "--email"),
    password_env: str | None = typer.Option(
        None, "--password-env", help="Read the password from this environment variable instead of a prompt."
    ),
    database: Path | None = typer.Option(None, "--database", help="SQLite file (DATABASE_URL wins)."),
) -> None:
    """Migrate the database and create its first administrator (refused once users exist)."""
    configure_app(database or DEMO_DATABASE)
    migrate()
    if password_env:
        password = os.environ.get(password_env, "")
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat: "):
            console.print("[red]password: the two entries differ; nothing was created.[/]")
            raise typer.Exit(2)
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.errors import PermissionDenied
    from oncotrial.services.people import do_create_user

    with domain_errors(False):
        try:
            user = do_create_user(
                AuditContext(None), username=username, role="administrator", email=email, password=password
            )
        except PermissionDenied as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from None
    console.print(f"[green]created administrator {user.username}[/]; sign in and create the other accounts.")
