"""``oncotrial ctgov export --with-results``: the SIMULATED demo and a trial file without demographics."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oncotrial.cli.ctgov_cmd import app
from oncotrial.exports.ctgov.schema import validate_study
from oncotrial.simulation.trial_outcomes import simulated_trial

runner = CliRunner()


def test_the_simulated_demo_is_written_valid_and_labelled(tmp_path: Path):
    out = tmp_path / "study.json"
    result = runner.invoke(app, ["export", "--simulated-demo", "--with-results", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["has_results"] is True and summary["simulated"] is True
    study = json.loads(out.read_text(encoding="utf-8"))
    assert validate_study(study) == () and "resultsSection" in study
    meta = json.loads((tmp_path / "study.metadata.json").read_text(encoding="utf-8"))
    assert meta == {"label": "SIMULATED DATA: not results of NCT07304388", "simulated": True,
                    "study": "study.json", "seed": 20230801}


def test_a_trial_file_without_age_and_sex_is_refused_with_the_rule(tmp_path: Path):
    trial = tmp_path / "trial.json"
    trial.write_text(json.dumps(simulated_trial()), encoding="utf-8")
    result = runner.invoke(app, ["export", "--with-results", "--trial", str(trial), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)
    assert error["field"] == "resultsSection.baselineCharacteristicsModule.measures"
    assert "baseline.required" in error["expected"]


def test_results_need_a_trial_file_or_the_demo():
    result = runner.invoke(app, ["export", "--with-results", "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["field"] == "--trial/--simulated-demo"
