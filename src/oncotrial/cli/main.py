"""Entry point of the ``oncotrial`` command."""

import typer

app = typer.Typer(no_args_is_help=True, help="Oncotrial: run a randomized oncology trial.")
