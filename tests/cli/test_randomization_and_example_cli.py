"""``oncotrial randomization generate|report`` and ``oncotrial example`` on the built-in protocol."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oncotrial.cli.main import app
from oncotrial.core.randomization import AllocationList, next_slot

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def test_generate_writes_a_list_that_reloads_and_allocates(tmp_path: Path):
    out = tmp_path / "list.json"
    result = runner.invoke(app, ["randomization", "generate", "--seed", "11", "--per-stratum",
                                 "20", "--out", str(out)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "extrahepatic_metastasis=yes;ecog=0" in result.output
    lst = AllocationList.from_dict(json.loads(out.read_text()))
    assert lst.seed == 11
    assert lst.block_sizes == (2, 4)
    assert len(lst.strata) == 4  # extrahepatic metastasis (2 levels) × ECOG (2 levels)
    first = next_slot(lst, [], (("extrahepatic_metastasis", "no"), ("ecog", "1")))
    assert first.sequence == 1


def test_generate_is_reproducible_from_its_seed():
    a = runner.invoke(app, ["randomization", "generate", "--seed", "5", "--json"])
    b = runner.invoke(app, ["randomization", "generate", "--seed", "5", "--json"])
    c = runner.invoke(app, ["randomization", "generate", "--seed", "6", "--json"])
    assert a.output == b.output
    assert a.output != c.output


def test_generate_minimization_writes_the_pre_drawn_random_numbers():
    result = runner.invoke(app, ["randomization", "generate", "--seed", "3", "--scheme",
                                 "minimization", "--per-stratum", "10", "--json"])
    data = json.loads(result.output)
    assert data["scheme"] == "minimization"
    assert len(data["draws"]) == 10
    assert data["design"]["p"] == 0.8


def test_report_gives_balance_and_guessing_for_each_scheme():
    result = runner.invoke(app, ["randomization", "report", "--sequences", "50", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    schemes = {s["scheme"]: s for s in data["schemes"]}
    assert set(schemes) == {"permuted_blocks", "minimization", "complete_randomization"}
    # permuted blocks of 2 and 4: within a stratum the imbalance never exceeds 4 / 2 = 2
    assert schemes["permuted_blocks"]["max_within_stratum_imbalance"]["max"] <= 2
    assert 0.5 < schemes["permuted_blocks"]["guessing"]["expected_correct"] < 1


def test_report_readable_output_names_the_convergence_strategy(tmp_path: Path):
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["randomization", "report", "--sequences", "20", "--out", str(out)],
                           env=WIDE)
    assert "convergence strategy" in result.output
    assert json.loads(out.read_text())["n_trials"] == 20


def test_example_screens_and_randomizes_simulated_candidates_and_says_so():
    result = runner.invoke(app, ["example", "--patients", "30", "--seed", "2"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert result.output.count("SIMULATED DATA: not results of NCT07304388") >= 3
    assert "CONSORT" in result.output


def test_example_json_randomizes_exactly_the_eligible_candidates_once_each():
    data = json.loads(runner.invoke(app, ["example", "--patients", "60", "--seed", "4",
                                          "--json"]).output)
    assert data["simulated"] is True
    eligible = [s["patient_id"] for s in data["screenings"] if s["eligible"]]
    assert [r["patient_id"] for r in data["randomized"]] == eligible
    slots = [r["slot"] for r in data["randomized"]]
    assert len(slots) == len(set(slots))
    assert data["assessed"] == 60
    assert 0 < data["assessed"] - data["eligible"] < 30
