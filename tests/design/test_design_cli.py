"""``oncotrial design``: readable tables, JSON, the power-curve plot and clean input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from oncotrial.cli.design_cmd import design_command

app = typer.Typer()
app.command("design")(design_command)


@app.command("noop")
def _noop() -> None:  # a second command keeps "design" a sub-command, as in the real CLI
    """Placeholder."""


runner = CliRunner()


def test_survival_json_gives_bounds_events_patients_and_the_power_curve():
    result = runner.invoke(app, ["design", "--kmax", "3", "--beta-spending", "bsOF", "--hr", "0.65",
                                 "--dropout", "0.05", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["endpoint"] == "survival"
    assert data["design"]["critical_values"] == pytest.approx([3.7103029, 2.5114275, 1.9930475], abs=1e-6)
    size = data["sample_size"]
    assert len(size["events_per_stage"]) == 3 and size["analysis_times"][-1] == pytest.approx(34.0)
    assert size["events_per_stage"][-1] == pytest.approx(size["events_fixed"] * size["inflation_factor"])
    curve = data["power_curve"]
    # at HR 1 the futility stops (counted, as rpact does, although non-binding) push the size below alpha
    assert curve["x"][-1] == 1.0 and 0.02 < curve["series"]["normal approximation"][-1] < 0.025


def test_rates_text_output_shows_normal_and_exact_power():
    result = runner.invoke(app, ["design", "--endpoint", "rates", "--p1", "0.8", "--p2", "0.6", "--n", "96",
                                 "--alpha", "0.05", "--exact", "fisher"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Power with N = 96: 0.6934 (normal approximation), 0.6199 (exact fisher)" in result.output
    assert "Exact (fisher) sample size: 73 + 73 = 146" in result.output


def test_plot_writes_an_svg_power_curve(tmp_path: Path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "power.svg"
    result = runner.invoke(app, ["design", "--endpoint", "rates", "--plot", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["plot"] == str(target)
    assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_a_bad_plot_suffix_and_a_bad_design_type_are_domain_errors():
    result = runner.invoke(app, ["design", "--plot", "curve.txt", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["field"] == "--plot"
    result = runner.invoke(app, ["design", "--type", "asXX"])
    assert result.exit_code == 2
    assert "--type" in result.output and "asOF" in result.output
