"""``oncotrial recist`` on the documented example (docs/examples/assessments.json).

The example's baseline RECIST sum is 115 mm and its first scan 92 mm (−20 %: SD under
RECIST 1.1, which needs −30 % for PR); the viable (mRECIST) sums are 96 → 59 mm
(−38.5 %: PR). An equivocal new lesion at 2024-04-01 is confirmed at 2024-05-13, so
progression is dated 2024-04-01 (RECIST 1.1 §4.3.5).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oncotrial.cli.main import app

runner = CliRunner()
EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "assessments.json"


def test_recist_json_gives_both_criteria_bor_and_event_date():
    result = runner.invoke(app, ["recist", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["best_overall_response"]["RECIST 1.1"]["response"] == "SD"
    assert data["best_overall_response"]["mRECIST"]["response"] == "PR"
    assert data["pfs_event_date"] == {"RECIST 1.1": "2024-04-01", "mRECIST": "2024-04-01"}


def test_recist_readable_output_explains_the_backdated_progression():
    result = runner.invoke(app, ["recist", str(EXAMPLE)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "PD (PR as read)" in result.output
    assert "progression dated at this scan" in result.output


def test_recist_rejects_a_negative_diameter_naming_the_field(tmp_path: Path):
    data = json.loads(EXAMPLE.read_text())
    data["scans"][0]["targets"][0]["diameter_mm"] = -4
    f = tmp_path / "a.json"
    f.write_text(json.dumps(data))
    result = runner.invoke(app, ["recist", str(f), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["field"] == "scans[0].targets[0].diameter_mm"
