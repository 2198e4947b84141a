"""``oncotrial serve``: serve the application with waitress (one process) or gunicorn (several).

``--workers 1`` (the default) serves from this process with waitress's threads: simple,
portable, enough for a site's local use. ``--workers N`` (N ≥ 2) forks N gunicorn worker
processes of ``--threads`` threads each ("gthread" workers), so that requests run in
parallel instead of taking turns on one interpreter lock. Several processes need
``ONCOTRIAL_CACHE_URL`` (a redis:// cache): the sign-in throttling counters must be shared,
or each process would allow its own 5 failures. Before forking, the master parses the
active allocation lists once (``preload_active_lists``) and closes its database
connections, so that workers share the parsed lists and never share a connection.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from oncotrial.cli.app_env import DEMO_DATABASE, configure_app, migrate
from oncotrial.cli.output import console, domain_errors
from oncotrial.core.errors import DomainError


def serve_command(
    database: Path = typer.Option(DEMO_DATABASE, help="SQLite file (ignored when DATABASE_URL is set)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        1,
        min=1,
        max=64,
        help="Processes: 1 serves with waitress in this process; 2 or more with gunicorn (POSIX), "
        "each with --threads threads (needs ONCOTRIAL_CACHE_URL).",
    ),
    threads: int = typer.Option(8, min=1, max=64, help="Threads per process."),
    local_http: bool = typer.Option(
        True, help="Plain HTTP for a local demo; use --no-local-http behind an HTTPS proxy."
    ),
) -> None:
    """Serve the trial application (migrating the database first)."""
    with domain_errors(False):
        check_workers(workers, os.environ.get("ONCOTRIAL_CACHE_URL", ""))
    configure_app(database, local_http=local_http)
    migrate()
    address = f"[{host}]" if ":" in host else host
    if workers == 1:
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        console.print(
            f"Serving Oncotrial at [bold]http://{address}:{port}/[/] with waitress "
            f"(1 process × {threads} threads; Ctrl+C to stop)."
        )
        serve(get_wsgi_application(), host=host, port=port, threads=threads, ident="oncotrial")
        return
    console.print(
        f"Serving Oncotrial at [bold]http://{address}:{port}/[/] with gunicorn "
        f"({workers} processes × {threads} threads; Ctrl+C to stop)."
    )
    serve_with_gunicorn(f"{address}:{port}", workers, threads)


def check_workers(workers: int, cache_url: str) -> None:
    """Refuse several processes without a shared cache, or where gunicorn cannot run."""
    if workers == 1:
        return
    if not cache_url:
        raise DomainError(
            "--workers",
            workers,
            "1 unless ONCOTRIAL_CACHE_URL names a shared redis:// cache (each process would "
            "otherwise count sign-in failures on its own and allow 5 each)",
            suggestion="set ONCOTRIAL_CACHE_URL=redis://127.0.0.1:6379/0, or serve with --workers 1.",
        )
    try:
        import gunicorn.app.base  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:  # fcntl and fork: POSIX only
        raise DomainError(
            "--workers", workers, "1 on this system (gunicorn runs on POSIX systems only)"
        ) from None


def gunicorn_options(bind: str, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn settings for ``workers`` processes × ``threads`` threads (hooks added by the caller)."""
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,  # Django and the parsed lists are loaded once, shared by the forks
        "proc_name": "oncotrial",
        "accesslog": None,
        "keepalive": 75,  # seconds an idle keep-alive connection stays open (gunicorn's default: 2)
        "control_socket_disable": True,  # gunicorn ≥ 24: no shared control socket in $HOME
    }


def serve_with_gunicorn(bind: str, workers: int, threads: int) -> None:
    """Run the gunicorn master here until it is stopped (Ctrl+C or SIGTERM)."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from oncotrial.services.randomization import preload_active_lists

    application = get_wsgi_application()

    def when_ready(server: object) -> None:  # in the master, just before it forks the workers
        preload_active_lists()
        connections.close_all()  # a forked worker must never reuse the master's connection

    options = {**gunicorn_options(bind, workers, threads), "when_ready": when_ready}

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # settings this gunicorn version knows
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()
