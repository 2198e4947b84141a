"""``oncotrial analyze`` writes the HTML summary and every figure, labelled SIMULATED."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oncotrial.cli.main import app

runner = CliRunner()


def test_analyze_simulated_demo_writes_html_and_figures(tmp_path: Path):
    result = runner.invoke(app, ["analyze", "--simulated-demo", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["simulated"] is True
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert page.count("SIMULATED DATA: not results of NCT07304388") >= 2
    for name in ("km_pfs", "km_os", "forest_pfs", "waterfall", "spider", "swimmer", "consort"):
        assert (tmp_path / f"{name}.svg").exists()
        assert (tmp_path / f"{name}.png").exists()
        assert f"{name}.svg" in page
    # the written trial file can be analysed again and gives the same primary result
    again = runner.invoke(app, ["analyze", str(tmp_path / "trial.json"), "--out",
                                str(tmp_path / "again"), "--json"])
    assert json.loads(again.output)["pfs6"] == summary["pfs6"]


def test_analyze_rejects_a_bad_file_naming_the_field(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"trial": "X", "cutoff": "2025-01-01", "simulated": True,
                               "arms": ["A", "B"], "control_arm": "C", "patients": []}))
    result = runner.invoke(app, ["analyze", str(bad), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["field"] == "control_arm"
