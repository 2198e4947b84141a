"""``oncotrial serve``: serve the application with waitress (a production-grade WSGI server)."""

from __future__ import annotations

from pathlib import Path

import typer

from oncotrial.cli.app_env import DEMO_DATABASE, configure_app, migrate
from oncotrial.cli.output import console


def serve_command(
    database: Path = typer.Option(DEMO_DATABASE, help="SQLite file (ignored when DATABASE_URL is set)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    threads: int = typer.Option(8, min=1, max=64, help="Worker threads."),
    local_http: bool = typer.Option(
        True, help="Plain HTTP for a local demo; use --no-local-http behind an HTTPS proxy."
    ),
) -> None:
    """Serve the trial application (migrating the database first)."""
    configure_app(database, local_http=local_http)
    migrate()
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    console.print(f"Serving Oncotrial at [bold]http://{host}:{port}/[/] (Ctrl+C to stop).")
    serve(get_wsgi_application(), host=host, port=port, threads=threads, ident="oncotrial")
