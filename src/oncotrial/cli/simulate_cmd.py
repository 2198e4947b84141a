"""``oncotrial simulate SCENARIO`` / ``oncotrial simulate --builtin nct07304388``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from oncotrial.cli.output import console, domain_errors, emit, jsonable
from oncotrial.core.errors import DomainError
from oncotrial.simulation.characteristics import SIMULATED_LABEL
from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.report import SimulationReport, html_page

_err = Console(stderr=True)


def _pm(d: dict[str, float], digits: int = 4) -> str:
    return f"{d['estimate']:.{digits}f} ± {d['mc_se']:.{digits}f}"


def render_report(report: SimulationReport) -> None:
    console.print(f"[bold red]{SIMULATED_LABEL}[/]")
    for oc in report.results:
        d = oc.to_dict()
        title = f"{oc.scenario.name}: {d['trials']:,} trials ({d['engine']}, {d['seconds']:.2f} s)"
        table = Table(title=title)
        for col in ("Look", "Planned", "Efficacy z", "P(reject)", "P(futility stop)", "Mean time",
                    "Mean events"):
            table.add_column(col, justify="right")
        for lk in d["looks"]:
            table.add_row(str(lk["look"]), f"{lk['planned']:g}", f"{lk['efficacy_z']:.4f}", _pm(lk["reject"]),
                          _pm(lk["futility_stop"]), f"{lk['mean_time']['estimate']:.2f}",
                          f"{lk['mean_events']['estimate']:.1f}")
        console.print(table)
        console.print(f"Bounds: {d['scenario']['bounds']['source']}")
        os_ = d["scenario"]["overall_survival"]
        if os_:
            share, pps = os_["death_without_progression"], os_["pps_medians"]
            words = [DeathShare.described(share[arm]).words() for arm in ("control", "experimental")]
            console.print(f"OS: deaths without progression {words[0]} / {words[1]} of PFS events; median "
                          f"post-progression survival "
                          f"{pps['control']:.2f} / {pps['experimental']:.2f} months (control / experimental)")
        e = d["expected"]
        console.print(f"P(reject H0) [bold]{_pm(d['reject_h0'])}[/] (± Monte Carlo SE); expected events "
                      f"{_pm(e['events'], 2)}, duration {_pm(e['duration_months'], 2)} months, "
                      f"sample size {_pm(e['sample_size'], 2)}")
        for t in d["tests"]:
            console.print(f"  {t['test']}{' (primary)' if t['primary'] else ''}: reject "
                          f"{_pm(t['reject_at_stopping_look'])}")
        hr = d["hazard_ratio"]
        if hr:
            console.print(f"  HR estimate ({hr['source']}): median {hr['median_hr']:.3f}, 95% of trials in "
                          f"[{hr['q025_hr']:.3f}, {hr['q975_hr']:.3f}]")


def _progress(enabled: bool) -> tuple[Progress | None, Any]:
    if not enabled:
        return None, None
    bar = Progress(TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.completed:,}/{task.total:,}"), TimeRemainingColumn(), console=_err,
                   transient=True)
    return bar, bar.add_task("simulating", total=0)


def simulate_command(
    scenario: Path | None = typer.Argument(None, help="Scenario YAML file (see docs/simulation.md)."),
    builtin: str | None = typer.Option(None, "--builtin", help="A built-in scenario, e.g. nct07304388."),
    replications: int | None = typer.Option(None, "--replications", "-n", min=1,
                                            help="Number of simulated trials (default: the scenario's)."),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Seed (default: the scenario's)."),
    engine: str = typer.Option(
        "auto", "--engine",
        help="auto, numba, numpy or gpu (the fused CUDA kernel; sums stay on the device, 2**22 trials "
             "a block; numba after a notice without a CUDA device or outside the kernel's subset)."),
    threads: int | None = typer.Option(None, "--threads", min=1, help="CPU threads (default: all cores)."),
    grid: bool = typer.Option(False, "--grid",
                              help="Run every point of the scenario's grid on Dask (with --engine gpu: "
                                   "one after another in this process)."),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Dask scheduler address (default: a LocalCluster)."),
    workers: int | None = typer.Option(None, "--workers", min=1,
                                       help="LocalCluster workers (default: cores)."),
    html_out: Path | None = typer.Option(None, "--html", help="Write an HTML report with plots here."),
    json_out: Path | None = typer.Option(None, "--out", help="Also write the JSON results here."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of readable text."),
) -> None:
    """Simulate whole trials and report operating characteristics (SIMULATED, with Monte Carlo SEs)."""
    with domain_errors(as_json):
        from oncotrial.simulation.scenario_loading import load_scenarios

        scenarios = load_scenarios(scenario, builtin, grid=grid)
        bar, task = _progress(not as_json)
        reports: list[SimulationReport] = []

        def advance(done: int, total: int) -> None:
            if bar is not None:
                bar.update(task, advance=done)

        def notice(message: str) -> None:
            _err.print(f"[yellow]note:[/] {message}")

        if bar is not None:
            total = sum((replications or s.replications) * (2 if s.check_null else 1) for s in scenarios)
            bar.update(task, total=total)
            bar.start()
        try:
            if grid:
                from oncotrial.simulation.grid import simulate_grid

                reports = simulate_grid(scenarios, replications=replications, seed=seed, engine=engine,
                                        scheduler=scheduler, workers=workers, progress=advance, notice=notice)
            else:
                from oncotrial.simulation.runner import simulate

                reports = [simulate(scenarios[0], replications=replications, seed=seed, engine=engine,
                                    threads=threads, progress=advance, notice=notice)]
        finally:
            if bar is not None:
                bar.stop()
        data: Any = reports[0].to_dict() if not grid else {"label": SIMULATED_LABEL,
                                                            "scenarios": [r.to_dict() for r in reports]}
        _write(json_out, html_out, data, reports)
        def render() -> None:
            for r in reports:
                render_report(r)

        emit(data, render, as_json)


def _write(json_out: Path | None, html_out: Path | None, data: Any, reports: list[SimulationReport]) -> None:
    try:
        if json_out is not None:
            json_out.write_text(json.dumps(jsonable(data), indent=2, ensure_ascii=False) + "\n", "utf-8")
        if html_out is not None:
            html_out.write_text(html_page(reports), "utf-8")
    except OSError as exc:
        raise DomainError("--out/--html", str(exc.filename), "a writable path") from None
