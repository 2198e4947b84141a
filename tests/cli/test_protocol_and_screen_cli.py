"""The CLI reads and writes JSON as well as readable text, and reports bad input cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from oncotrial.cli.main import app
from oncotrial.protocol_files import default_protocol_text
from support.candidates import EXAMPLE_PATIENT, example_patient

runner = CliRunner()


def test_protocol_show_prints_the_registry_style_summary():
    result = runner.invoke(app, ["protocol", "show"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for text in ("NCT07304388", "IA3GM-II", "HAIC (intra-arterial)", "85 mg/m²", "240 mg",
                 "6-month progression-free survival rate", "INC15", "EXC09", "Assumptions"):
        assert text in result.output


def test_protocol_show_json_is_the_whole_protocol():
    result = runner.invoke(app, ["protocol", "show", "--json"])
    data = json.loads(result.output)
    assert data["identification"]["nct_id"] == "NCT07304388"
    assert [a["code"] for a in data["arms"]] == ["HAIC", "GEMOX"]
    inc06 = data["eligibility"]["criteria"][5]
    assert inc06["rule"]["type"] == "LabThreshold"
    assert inc06["rule"]["threshold"] == 2.0


def test_protocol_validate_accepts_the_builtin_file(tmp_path: Path):
    f = tmp_path / "p.yaml"
    f.write_text(default_protocol_text(), encoding="utf-8")
    result = runner.invoke(app, ["protocol", "validate", str(f), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["valid"] is True


def test_protocol_validate_names_the_bad_field_and_exits_2(tmp_path: Path):
    data = yaml.safe_load(default_protocol_text())
    data["arms"][0]["regimen"][0]["dose"]["amount"] = -85
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(data, default=str), encoding="utf-8")
    result = runner.invoke(app, ["protocol", "validate", str(f), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)
    assert error["field"] == "arms[0].regimen[0].dose.amount"
    assert error["expected"] == "a positive number"


def test_protocol_validate_reports_a_yaml_syntax_error_with_its_line(tmp_path: Path):
    f = tmp_path / "broken.yaml"
    f.write_text("schema_version: 1\narms: [\n", encoding="utf-8")
    result = runner.invoke(app, ["protocol", "validate", str(f)])
    assert result.exit_code == 2
    assert "broken.yaml:3" in result.output


def test_screen_shows_every_verdict_as_json():
    result = runner.invoke(app, ["screen", str(EXAMPLE_PATIENT), "--on", "2024-03-05", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "eligible"
    assert len(data["verdicts"]) == 26


def test_screen_readable_output_lists_failures(tmp_path: Path):
    patient = example_patient()
    patient["ecog"] = 2
    f = tmp_path / "p.json"
    f.write_text(json.dumps(patient), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(f), "--on", "2024-03-05"])
    assert result.exit_code == 0
    assert "NOT ELIGIBLE: fails INC05" in result.output


def test_screen_rejects_a_lab_without_unit_with_exit_2(tmp_path: Path):
    patient = example_patient()
    del patient["labs"][3]["unit"]
    f = tmp_path / "p.json"
    f.write_text(json.dumps(patient), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(f), "--on", "2024-03-05", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["field"] == "labs[3](PLAT).unit"
