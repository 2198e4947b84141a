"""``oncotrial dose INPUT.json [--json]``: doses and decision per drug; clean domain errors.

The command is mounted on a local Typer app so that these tests do not depend on where
``oncotrial.cli.main`` registers it.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from oncotrial.cli.dose_cmd import dose_command
from support.dose_inputs import EXAMPLE_DOSE, example_dose

runner = CliRunner()
app = typer.Typer()


@app.callback()
def _root() -> None:
    """Test harness."""


app.command("dose")(dose_command)


def _write(tmp_path: Path, data: dict) -> Path:
    f = tmp_path / "dose.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    return f


def test_json_output_of_the_documented_example():
    result = runner.invoke(app, ["dose", str(EXAMPLE_DOSE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["arm"], data["cycle"], data["day"]) == ("HAIC", 3, 1)
    assert data["bsa"]["recomputed"] is True and data["bsa"]["bsa_m2"] == 1.6857
    ox = next(d for d in data["drugs"] if d["drug"] == "oxaliplatin")
    assert ox["action"] == "reduce" and ox["level"] == -1 and ox["dose"]["dose_mg"] == 110
    assert ox["protocol_dose"]["dose_mg"] == 143  # 85 × 1.6857 = 143.3
    assert ox["deciding_rules"][0]["table"] == "oxaliplatin sensory neuropathy"
    assert "clinical-content.md §4.2" in ox["deciding_rules"][0]["source"]
    assert {d["drug"] for d in data["drugs"]} == {"oxaliplatin", "gemcitabine", "lenvatinib", "toripalimab"}


def test_readable_output_shows_each_drug_and_its_rule():
    result = runner.invoke(app, ["dose", str(EXAMPLE_DOSE)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for text in ("OK to treat today?", "oxaliplatin", "110 mg", "toripalimab", "240 mg", "BSA 1.69 m²",
                 "persistent"):
        assert text in result.output


def test_a_hold_is_shown_with_the_resume_level(tmp_path: Path):
    data = example_dose()
    data["labs"][0]["value"] = 0.4  # ANC 0.4 on day 1: delay the cycle
    result = runner.invoke(app, ["dose", str(_write(tmp_path, data)), "--json"])
    out = json.loads(result.output)
    assert out["cycle_delayed"] is True
    actions = {d["drug"]: d["action"] for d in out["drugs"]}
    assert actions == {"oxaliplatin": "hold", "gemcitabine": "hold", "lenvatinib": "give",
                       "toripalimab": "hold"}
    assert next(d for d in out["drugs"] if d["drug"] == "oxaliplatin")["dose"] is None


def test_invalid_input_exits_2_with_the_field(tmp_path: Path):
    data = example_dose()
    data["weight"]["value"] = -62
    result = runner.invoke(app, ["dose", str(_write(tmp_path, data)), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["field"] == "weight.value"


def test_unknown_drug_and_missing_unit_are_reported(tmp_path: Path):
    data = example_dose()
    data["adverse_events"][1]["related_to"] = ["sorafenib"]
    result = runner.invoke(app, ["dose", str(_write(tmp_path, data)), "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["field"] == "adverse_events[1].related_to[0]"
    data = example_dose()
    del data["height"]["unit"]
    result = runner.invoke(app, ["dose", str(_write(tmp_path, data))])
    assert result.exit_code == 2 and "height.unit" in result.output


def test_a_missing_file_is_a_clean_error(tmp_path: Path):
    result = runner.invoke(app, ["dose", str(tmp_path / "nope.json"), "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["field"] == "input"
