"""``oncotrial admin create``: the first administrator of a new database, once."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def _run(folder: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(ONCOTRIAL_SECRET_KEY=secrets.token_urlsafe(50), ADMIN_PASSWORD=password, COLUMNS="200")
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("oncotrial")),
            "admin",
            "create",
            *args,
            "--password-env",
            "ADMIN_PASSWORD",
            "--database",
            str(folder / "new.sqlite3"),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_first_administrator_is_created_once_and_a_weak_password_is_refused(tmp_path: Path) -> None:
    weak = _run(tmp_path, "--username", "root", password="password")
    assert weak.returncode == 2
    assert "password" in (weak.stdout + weak.stderr).lower()
    first = _run(tmp_path, "--username", "chief-admin", password="a long Passphrase for 2026!")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "created administrator chief-admin" in first.stdout
    second = _run(tmp_path, "--username", "another-admin", password="another long Passphrase 2026!")
    assert second.returncode == 2
    assert "only the first administrator" in (second.stdout + second.stderr)
