"""``oncotrial simulate``: built-in scenario, JSON and HTML outputs, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from oncotrial.cli.simulate_cmd import simulate_command

app = typer.Typer()
app.command()(simulate_command)
runner = CliRunner()


def test_builtin_scenario_prints_json_labelled_simulated(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["--builtin", "nct07304388", "-n", "2000", "--json", "--html", str(html)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["label"].startswith("SIMULATED")
    assert 0 < data["power"]["estimate"] < 1 and data["type_i_error"]["mc_se"] > 0
    assert data["main"]["scenario"]["patients"] == 120
    assert "SIMULATED" in html.read_text() and "data:image/png;base64" in html.read_text()


def test_readable_output_shows_the_stage_table() -> None:
    result = runner.invoke(app, ["--builtin", "benchmark-gs3", "-n", "3000", "--engine", "numpy"])
    assert result.exit_code == 0, result.output
    assert "SIMULATED" in result.stdout and "P(reject H0)" in result.stdout


def test_readable_output_names_the_bounds_and_the_os_model() -> None:
    result = runner.invoke(app, ["--builtin", "nct07304388", "-n", "1000", "--engine", "numpy"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Bounds: fixed design, one-sided alpha 0.05" in text
    assert "OS: deaths without progression 8% / 8% of PFS events" in text


def test_a_bad_death_without_progression_share_exits_2_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("patients: 120\naccrual: {duration: 24}\ncontrol: {distribution: exponential, median: 6}\n"
                   "experimental: {hazard_ratio: 0.7}\nanalysis: {cut: events, looks: [90]}\n"
                   "bounds: {efficacy: [1.96]}\noverall_survival: {post_progression: {median: 5}, "
                   "death_without_progression: {control: 1.2}}\n")
    result = runner.invoke(app, [str(bad), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["field"] == "overall_survival.death_without_progression.control" and error["value"] == 1.2


def test_a_bad_scenario_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("patients: 120\naccrual: {duration: -3}\n")
    result = runner.invoke(app, [str(bad), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["field"] == "accrual.duration"


def test_gpu_engine_without_a_device_runs_on_the_cpu_with_a_notice() -> None:
    result = runner.invoke(app, ["--builtin", "benchmark-fixed", "-n", "1000", "--engine", "gpu"])
    assert result.exit_code == 0, result.output
    assert "running on the CPU" in result.output
