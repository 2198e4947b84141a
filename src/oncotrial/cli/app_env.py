"""Setting up the application (Django) for commands that use the database.

The database is ``DATABASE_URL`` (PostgreSQL) when set, else the SQLite file given (the
demo's is ``.oncotrial/demo.sqlite3``). The secret key is ``ONCOTRIAL_SECRET_KEY`` when
set, else a random key kept in ``.oncotrial/secret_key`` (mode 600, never committed:
``.oncotrial/`` is git-ignored), so that sessions survive a restart of the local server.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Final

STATE_DIR: Final = Path(".oncotrial")
DEMO_DATABASE: Final = STATE_DIR / "demo.sqlite3"


def _secret_key() -> str:
    path = STATE_DIR / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    STATE_DIR.mkdir(exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key)
    return key


def configure_app(database: Path | None = None, *, local_http: bool = False) -> None:
    """Point Django at the database and start it (idempotent within a process).

    ``local_http`` serves plain HTTP on the loopback interface (the local demo only).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncotrial.web.django_settings")
    if database is not None and not os.environ.get("DATABASE_URL"):
        database.parent.mkdir(parents=True, exist_ok=True)
        os.environ["ONCOTRIAL_SQLITE_PATH"] = str(database)
    if not os.environ.get("ONCOTRIAL_SECRET_KEY"):
        os.environ["ONCOTRIAL_SECRET_KEY"] = _secret_key()
    if local_http:
        os.environ.setdefault("ONCOTRIAL_HTTPS", "0")
        os.environ.setdefault("ONCOTRIAL_ALLOWED_HOSTS", "127.0.0.1,localhost")
    import django

    django.setup()


def migrate(*, verbose: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
