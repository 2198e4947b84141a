"""``write_report`` and ``oncotrial report``: a self-contained HTML, and a PDF labelled on every page.

The PDF needs Debian's Chromium (/usr/bin/chromium): skipped without it locally, a failure
on CI (``CI=true``), where ``make`` installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from oncotrial.analysis.report import write_report
from oncotrial.analysis.report.pdf import ChromiumMissingError, chromium_path, html_to_pdf
from oncotrial.analysis.report_data import SIMULATED_LABEL
from oncotrial.cli.report_cmd import report_command


def _need_chromium() -> None:
    if chromium_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required on CI: apt-get install chromium")
        pytest.skip("Chromium not installed (/usr/bin/chromium)")


def test_the_pdf_carries_the_simulated_label_on_every_page(inputs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _need_chromium()
    pypdf = pytest.importorskip("pypdf")
    data, extras = inputs
    files = write_report(data, extras, tmp_path)
    assert files.pdf is not None and files.pdf.read_bytes().startswith(b"%PDF")
    pages = pypdf.PdfReader(str(files.pdf)).pages
    assert len(pages) >= 8
    for number, page in enumerate(pages, start=1):
        assert SIMULATED_LABEL in page.extract_text(), f"page {number}"
    assert {"analysis", "figures", "html", "pdf", "total"} <= set(files.timings)


def test_without_chromium_the_pdf_step_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONCOTRIAL_CHROMIUM", str(tmp_path / "no-such-browser"))
    page = tmp_path / "r.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(ChromiumMissingError) as error:
        html_to_pdf(page, tmp_path / "r.pdf")
    assert error.value.field == "chromium"
    assert "apt-get install chromium" in str(error.value)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("report")(report_command)
    app.command("noop")(lambda: None)  # keep "report" a named subcommand
    return app


@pytest.mark.filterwarnings("ignore::oncotrial.analysis.cox.CoxConvergenceWarning")  # small subgroups
def test_the_command_writes_the_html_and_prints_timings(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(), ["report", "--simulated-demo", "--no-pdf", "--patients", "40", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert SIMULATED_LABEL in result.output and "Timings (s):" in result.output
    assert (tmp_path / "report.html").is_file() and not (tmp_path / "report.pdf").exists()


def test_the_command_needs_the_simulated_demo_for_now(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["report", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "--simulated-demo" in result.output
