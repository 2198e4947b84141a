"""``oncotrial export sdtm|define --simulated-demo`` (commands mounted on a local Typer app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from oncotrial.cli import export_sdtm_cmd

app = typer.Typer()
app.command("sdtm")(export_sdtm_cmd.sdtm_command)
app.command("define")(export_sdtm_cmd.define_command)


@pytest.mark.slow
def test_export_sdtm_writes_xpt_json_and_define_and_reports_timings(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["sdtm", "--simulated-demo", "--out", str(tmp_path), "--strict", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["simulated"] is True and summary["findings"] == []
    names = {p.name for p in tmp_path.iterdir()}
    assert {"dm.xpt", "rs.xpt", "ts.xpt", "dm.json", "tr.json", "define.xml"} <= names
    assert summary["seconds"]["total"] < 30
    assert json.loads((tmp_path / "dm.json").read_text())["label"].startswith("SIMULATED")


def test_export_define_writes_define_xml(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["define", "--simulated-demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "SIMULATED" in result.output and (tmp_path / "define.xml").is_file()


def test_export_sdtm_without_data_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sdtm", "--out", str(tmp_path)])
    assert result.exit_code != 0
