"""``oncotrial export odm --simulated-demo --out DIR`` writes a valid ODM 1.3.2 file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from oncotrial.cli.export_odm_cmd import odm_command
from oncotrial.exports.odm import odm_schema_errors

root = typer.Typer()
export = typer.Typer()
export.command("odm")(odm_command)
export.callback()(lambda: None)
root.add_typer(export, name="export")


def test_export_odm_writes_a_valid_file_for_the_simulated_demo(tmp_path: Path) -> None:
    result = CliRunner().invoke(root, ["export", "odm", "--simulated-demo", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["simulated"] is True and summary["subjects"] == 120
    assert odm_schema_errors((tmp_path / "odm.xml").read_bytes()) == []


def test_export_odm_without_a_source_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(root, ["export", "odm", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--simulated-demo" in result.output
