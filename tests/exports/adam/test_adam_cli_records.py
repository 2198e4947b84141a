"""``oncotrial export adam --simulated-demo``: ADLB and ADSL demographics from the clinical records,
and define.xml on request."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from oncotrial.cli.export_cmd import app
from oncotrial.exports.define_xml import define_schema_errors

root = typer.Typer()
root.add_typer(app, name="export")


def test_the_simulated_demo_exports_adlb_and_a_valid_define_xml(tmp_path: Path) -> None:
    result = CliRunner().invoke(root, ["export", "adam", "--simulated-demo", "--out", str(tmp_path),
                                       "--format", "xpt", "--define", "--strict", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["findings"] == [] and summary["records"]["ADSL"] == 120
    assert summary["records"]["ADLB"] > 0
    assert sorted(Path(f).name for f in summary["files"]) == [
        "adae.xpt", "adlb.xpt", "adrs.xpt", "adsl.xpt", "adtte.xpt", "define.xml"]
    assert define_schema_errors((tmp_path / "define.xml").read_bytes()) == []
