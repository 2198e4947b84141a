"""``oncotrial randomization generate|report``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from oncotrial.cli.output import console, domain_errors, emit
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.core.randomization import (
    AllocationList,
    Scheme,
    build_validation_report,
    generate_minimization_draws,
)
from oncotrial.core.randomization.strata import stratum_key
from oncotrial.core.stratification import (
    allocation_list_for,
    allocation_ratio,
    minimization_design_for,
    randomization_factors,
)

app = typer.Typer(no_args_is_help=True, help="Generate allocation lists and their validation report.")


def _render_list(lst: AllocationList, out: Path | None) -> None:
    table = Table(title=f"Stratified permuted-block list (seed {lst.seed}, block sizes "
                        f"{', '.join(map(str, lst.block_sizes))})")
    table.add_column("Stratum")
    for arm in lst.ratio.arms:
        table.add_column(arm, justify="right")
    table.add_column("Blocks", justify="right")
    for s in lst.strata:
        counts = [sum(1 for x in s.slots if x.arm == arm) for arm in lst.ratio.arms]
        table.add_row(stratum_key(s.stratum), *map(str, counts), str(s.slots[-1].block))
    console.print(table)
    if out:
        console.print(f"List written to {out}. Keep it concealed: only the allocation service "
                      f"should read it.")


@app.command("generate")
def generate(
    seed: int = typer.Option(..., "--seed", help="Seed that reproduces the list (record it)."),
    per_stratum: int = typer.Option(0, "--per-stratum",
                                    help="Slots per stratum (default: the target enrollment)."),
    scheme: str = typer.Option("", "--scheme",
                               help="permuted_blocks or minimization (default: the protocol's)."),
    out: Path | None = typer.Option(None, "--out", help="Write the list here as JSON."),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Pre-generate the allocation list from the protocol's strata, ratio and block sizes."""
    with domain_errors(as_json):
        p = load(protocol)
        chosen = Scheme(scheme or p.randomization.scheme)
        n = per_stratum or p.design.target_enrollment
        if chosen is Scheme.MINIMIZATION:
            draws = generate_minimization_draws(n, seed)
            design = minimization_design_for(p)
            data: dict[str, object] = {**draws.to_dict(), "design": design.to_dict()}

            def render() -> None:
                console.print(f"Minimization list: {n} pre-drawn random pairs (seed {seed}), "
                              f"p = {design.p:g}, factors {', '.join(c for c, _ in design.factors)}")
        else:
            lst = allocation_list_for(p, seed, n)
            data = lst.to_dict()

            def render() -> None:
                _render_list(lst, out)
        if out is not None:
            out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        summary = {"written": str(out), "scheme": chosen.value, "seed": seed} if out else data
        emit(summary, render, as_json)


@app.command("report")
def report(
    seed: int = typer.Option(20230801, "--seed", help="Seed of the simulation."),
    sequences: int = typer.Option(1000, "--sequences", help="Number of simulated trials."),
    patients: int = typer.Option(0, "--patients", help="Patients per trial (default: target)."),
    out: Path | None = typer.Option(None, "--out", help="Also write the report here as JSON."),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Balance and predictability of each scheme over many simulated allocation sequences."""
    with domain_errors(as_json):
        p = load(protocol)
        result = build_validation_report(
            seed=seed, factors=randomization_factors(p), ratio=allocation_ratio(p),
            block_sizes=p.randomization.block_sizes, p=p.randomization.minimization_probability,
            n_trials=sequences, n_patients=patients or p.design.target_enrollment)
        if out is not None:
            out.write_text(json.dumps(result.to_dict(), indent=1) + "\n", encoding="utf-8")
        emit(result.to_dict(), lambda: typer.echo(result.to_text()), as_json)
