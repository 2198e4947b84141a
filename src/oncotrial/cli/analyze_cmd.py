"""``oncotrial analyze TRIAL.json``: every endpoint, table and figure, with an HTML summary."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors, emit, read_json_file
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping


def analyze_command(
    trial: Path | None = typer.Argument(None, help="Trial data JSON (docs/trial-data-format.md)."),
    out: Path = typer.Option(Path("out/analysis"), "--out", help="Folder for the HTML and figures."),
    simulated_demo: bool = typer.Option(False, "--simulated-demo",
                                        help="Analyse a generated SIMULATED 120-patient trial."),
    seed: int = typer.Option(20230801, "--seed", help="Seed of the SIMULATED demo trial."),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Run every endpoint on a trial data file and write an HTML summary with figures.

    The landmark, BOR settings, PFS censoring rules and stratification factors are read
    from the protocol file (default: the built-in NCT07304388).
    """
    from oncotrial.analysis.trial_analysis import analyze_trial
    from oncotrial.analysis.trial_report import write_report
    from oncotrial.simulation.trial_outcomes import simulated_trial

    with domain_errors(as_json):
        if trial is None and not simulated_demo:
            raise typer.BadParameter("give a trial data file or --simulated-demo")
        raw = simulated_trial(seed=seed) if trial is None else read_json_file(trial, "trial")
        data = trial_data_from_mapping(raw)
        result = analyze_trial(data, protocol=load(protocol))
        page = write_report(result, out)
        if trial is None:
            (out / "trial.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
        summary = {
            "trial": data.trial, "simulated": data.simulated, "html": str(page),
            "pfs6": {"difference": result.pfs6.difference, "lower": result.pfs6.lower,
                     "upper": result.pfs6.upper, "p_value": result.pfs6.p_value},
            "pfs_logrank_p": result.pfs.logrank.p_value,
            "pfs_hr": float(result.pfs.cox.hazard_ratios_.iloc[0]),
            "os_logrank_p": result.os.logrank.p_value,
        }

        def render() -> None:
            if data.simulated:
                console.print(f"[bold white on red] {SIMULATED_BANNER} [/]")
            console.print(result.pfs6.to_text())
            console.print(f"PFS HR {summary['pfs_hr']:.3f}; log-rank p {summary['pfs_logrank_p']:.4f}")
            console.print(f"HTML summary: {page}")
        emit(summary, render, as_json)
