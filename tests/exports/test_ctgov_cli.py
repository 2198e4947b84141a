"""``ctgov export`` and ``ctgov import``: files written, validated, and bad input reported cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from oncotrial.cli.ctgov_cmd import app
from oncotrial.exports.ctgov.schema import validate_study
from oncotrial.protocol_files import default_protocol_text

RECORD = Path(__file__).parent / "data" / "NCT07304388.json"
runner = CliRunner()


def test_export_writes_a_valid_study_of_the_builtin_protocol(tmp_path: Path):
    out = tmp_path / "out" / "study.json"
    result = runner.invoke(app, ["export", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["valid"] is True and summary["restored"] == []
    study = json.loads(out.read_text(encoding="utf-8"))
    assert study["protocolSection"]["identificationModule"]["nctId"] == "NCT07304388"
    assert validate_study(study) == ()


def test_export_without_out_prints_the_study(tmp_path: Path):
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["hasResults"] is False


def test_import_writes_a_draft_with_its_open_values_and_the_report(tmp_path: Path):
    draft = tmp_path / "nct.yaml"
    result = runner.invoke(app, ["import", str(RECORD), "--out", str(draft), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["criteria"] == 23 and "arms[0].regimen" in summary["open_values"]
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT protocol imported from the ClinicalTrials.gov record NCT07304388.")
    assert "#   arms[0].regimen:" in text
    data = yaml.safe_load(text)
    assert data["identification"]["nct_id"] == "NCT07304388" and data["arms"][0]["regimen"] is None
    report = json.loads((tmp_path / "nct.unmapped.json").read_text(encoding="utf-8"))
    assert {u["path"] for u in report["unmapped"]} == set(summary["unmapped"])


def test_the_draft_is_refused_by_validation_until_filled(tmp_path: Path):
    draft = tmp_path / "nct.yaml"
    runner.invoke(app, ["import", str(RECORD), "--out", str(draft)])
    result = runner.invoke(app, ["export", "--protocol", str(draft), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"] == "ProtocolError"


def test_export_with_the_report_restores_the_registry_texts(tmp_path: Path):
    draft, report = tmp_path / "nct.yaml", tmp_path / "nct.unmapped.json"
    runner.invoke(app, ["import", str(RECORD), "--out", str(draft)])
    builtin = yaml.safe_load(default_protocol_text())
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    for arm, filled in zip(data["arms"], builtin["arms"], strict=True):
        arm.update({k: filled[k] for k in ("allocation_weight", "cycle_length_days", "regimen")})
    for key in ("assessments", "assumptions", "stratification", "randomization", "endpoints"):
        data[key] = builtin[key]
    for c in data["eligibility"]["criteria"]:
        c["rule"] = c["rule"] or {"type": "attestation", "fact": c["code"].lower()}
    draft.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "again.json"
    args = ["export", "-p", str(draft), "--registry-fields", str(report), "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "9 registry field(s) restored" in result.output
    study = json.loads(out.read_text(encoding="utf-8"))
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    assert study["protocolSection"]["eligibilityModule"] == record["protocolSection"]["eligibilityModule"]
    assert study["protocolSection"]["descriptionModule"] == record["protocolSection"]["descriptionModule"]


def test_a_report_of_another_record_is_refused(tmp_path: Path):
    report = tmp_path / "other.unmapped.json"
    report.write_text(json.dumps({"nct_id": "NCT00000001", "unmapped": []}), encoding="utf-8")
    result = runner.invoke(app, ["export", "--registry-fields", str(report), "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["field"].endswith("nct_id")


def test_an_invalid_study_is_refused_with_the_field_named(tmp_path: Path):
    bad = json.loads(RECORD.read_text(encoding="utf-8"))
    bad["protocolSection"]["designModule"]["phases"] = ["PHASE_2"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--out", str(tmp_path / "d.yaml"), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)
    assert error["field"].endswith("protocolSection.designModule.phases[0]")
    assert not (tmp_path / "d.yaml").exists()


def test_a_missing_study_file_is_a_clean_error(tmp_path: Path):
    result = runner.invoke(app, ["import", str(tmp_path / "none.json"), "--out", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2 and "Error" in result.output
