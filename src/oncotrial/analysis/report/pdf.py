"""HTML → PDF with Debian's Chromium in headless mode (never a downloaded browser).

``make`` installs the ``chromium`` package (``/usr/bin/chromium``). The browser runs with
networking, component updates, sync and the GPU disabled, in a throw-away profile, and
prints the local file; the report is self-contained, so nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from oncotrial.core.errors import DomainError

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_S = 120.0


class ChromiumMissingError(DomainError):
    """Chromium is not installed where the report expects it."""


def chromium_path() -> Path | None:
    """The Chromium executable, or None: ``ONCOTRIAL_CHROMIUM`` if set, else ``/usr/bin/chromium``."""
    configured = os.environ.get("ONCOTRIAL_CHROMIUM")
    path = Path(configured) if configured else CHROMIUM
    return path if path.is_file() and os.access(path, os.X_OK) else None


def html_to_pdf(html_file: Path, pdf_file: Path, *, timeout_s: float = TIMEOUT_S) -> Path:
    """Print ``html_file`` to ``pdf_file``; raise a clear error when Chromium is absent or fails."""
    chromium = chromium_path()
    if chromium is None:
        raise ChromiumMissingError(
            "chromium",
            str(os.environ.get("ONCOTRIAL_CHROMIUM") or CHROMIUM),
            "Debian's Chromium at /usr/bin/chromium (or ONCOTRIAL_CHROMIUM)",
            "run `sudo apt-get install chromium` (the Makefile does), or pass --no-pdf",
        )
    pdf_file.unlink(missing_ok=True)
    profile = tempfile.mkdtemp(prefix="oncotrial-chromium-")
    try:
        done = subprocess.run(
            [
                str(chromium),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--no-pdf-header-footer",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf_file.resolve()}",
                html_file.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if done.returncode != 0 or not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        raise RuntimeError(
            f"Chromium could not print {html_file} (exit {done.returncode}): {done.stderr.strip()[-1500:]}"
        )
    return pdf_file
