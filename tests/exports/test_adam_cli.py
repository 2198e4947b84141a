"""``oncotrial export adam``: writes checked XPT and Dataset-JSON files, SIMULATED banner."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from oncotrial.cli.export_cmd import app
from oncotrial.simulation.trial_outcomes import simulated_trial

root = typer.Typer()
root.add_typer(app, name="export")


def test_export_adam_writes_both_formats_for_a_trial_file(tmp_path: Path) -> None:
    trial = tmp_path / "trial.json"
    trial.write_text(json.dumps(simulated_trial(patients=20)), encoding="utf-8")
    result = CliRunner().invoke(
        root, ["export", "adam", str(trial), "--out", str(tmp_path / "adam"), "--json", "--strict"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["simulated"] is True and summary["findings"] == []
    assert sorted(Path(f).name for f in summary["files"]) == sorted(
        f"{n}.{x}" for n in ("adsl", "adtte", "adrs", "adae") for x in ("xpt", "json")
    )
    assert summary["records"]["ADSL"] == 20


def test_export_adam_xpt_only_prints_the_simulated_banner(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        root, ["export", "adam", "--simulated-demo", "--out", str(tmp_path), "--format", "xpt"]
    )
    assert result.exit_code == 0, result.output
    assert "SIMULATED DATA" in result.output
    assert sorted(p.name for p in tmp_path.glob("*.xpt")) == [
        "adae.xpt",
        "adlb.xpt",
        "adrs.xpt",
        "adsl.xpt",
        "adtte.xpt",
    ]
    assert not list(tmp_path.glob("ad*.json"))


def test_missing_trial_file_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        root, ["export", "adam", str(tmp_path / "nope.json"), "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 2
    assert json.loads(result.output)["field"] == "trial"
