"""``oncotrial design``: group sequential bounds, sample size and power (survival or 6-month PFS rate)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TypeVar

import typer
from rich.table import Table

from oncotrial.cli.output import console, domain_errors, emit
from oncotrial.core.errors import DomainError
from oncotrial.design.accrual import Accrual, dropout_hazard, hazard_from_median, hazard_from_survival
from oncotrial.design.exact_rates import ExactTest
from oncotrial.design.planning import RatesPlan, SurvivalPlan, plan_rates, plan_survival
from oncotrial.design.plotting import plot_power_curve
from oncotrial.design.rates import Variance
from oncotrial.design.specification import NO_FUTILITY, BetaSpendingType, DesignSpec, DesignType
from oncotrial.design.survival import SurvivalMethod


def _numbers(text: str | None, option: str) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        return tuple(float(v) for v in text.replace(";", ",").split(",") if v.strip())
    except ValueError:
        raise DomainError(option, text, "comma-separated numbers, e.g. 0.33,0.67,1") from None


E = TypeVar("E", DesignType, BetaSpendingType, SurvivalMethod, Variance, ExactTest)


def _choice(kind: type[E], text: str, option: str) -> E:
    for member in kind:
        if member.value.lower() == text.lower():
            return member
    raise DomainError(option, text, "one of " + ", ".join(m.value for m in kind))


def _hazard(median: float | None, survival: str | None) -> float:
    if survival is not None:
        parts = _numbers(survival.replace("@", ","), "--control-survival")
        if parts is None or len(parts) != 2:
            raise DomainError("--control-survival", survival, "S@t, e.g. 0.665@6 (6-month PFS 0.665)")
        return hazard_from_survival(parts[0], parts[1])
    return hazard_from_median(10.2 if median is None else median)


def _fmt(x: float | None, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:.{digits}f}"


def render_design(plan: SurvivalPlan | RatesPlan) -> None:
    d, ch = plan.design, plan.characteristics
    s = d.spec
    table = Table(title=f"Group sequential design {s.type_of_design.value}, K = {s.k_max}, "
                        f"alpha = {s.alpha:g} ({s.sided}-sided), power = {1 - s.beta:g}")
    effect = "HR at bound" if isinstance(plan, SurvivalPlan) else "Difference at bound"
    scale = plan.hazard_ratio_at_bound if isinstance(plan, SurvivalPlan) else plan.difference_at_bound
    for col in ("Stage", "Information", "Efficacy z", "Futility z", "Alpha spent", "Stage level", effect,
                "P(reject | H1)"):
        table.add_column(col, justify="right")
    for k in range(s.k_max):
        fut = d.futility_bounds[k] if k < s.k_max - 1 else None
        table.add_row(str(k + 1), _fmt(d.information_rates[k], 3), _fmt(d.critical_values[k]),
                      "–" if fut is None or fut <= NO_FUTILITY else _fmt(fut), _fmt(d.alpha_spent[k], 5),
                      _fmt(d.stage_levels[k], 5), _fmt(scale[k], 3), _fmt(ch.rejection_probabilities[k], 4))
    console.print(table)
    console.print(f"Inflation factor {ch.inflation_factor:.4f}; expected information / fixed: "
                  f"H0 {ch.average_sample_number_h0:.4f}, H1/2 {ch.average_sample_number_h01:.4f}, "
                  f"H1 {ch.average_sample_number_h1:.4f}")


def render_survival(plan: SurvivalPlan) -> None:
    render_design(plan)
    z = plan.sample_size
    table = Table(title=f"Survival ({z.method.value}): HR {z.hazard_ratio:g}, control hazard "
                        f"{z.hazard_control:.4f}/time unit (median {math.log(2) / z.hazard_control:.2f})")
    for col in ("Stage", "Events", "Analysis time", "Patients accrued"):
        table.add_column(col, justify="right")
    rows = zip(z.events_per_stage, z.analysis_times, z.subjects_per_stage, strict=True)
    for k, (e, t, n) in enumerate(rows):
        table.add_row(str(k + 1), f"{e:.1f}", f"{t:.2f}", f"{n:.1f}")
    console.print(table)
    console.print(f"Patients {z.max_subjects:.1f} ({z.max_subjects_experimental:.1f} experimental, "
                  f"{z.max_subjects_control:.1f} control); fixed design {z.events_fixed:.1f} events; "
                  f"P(event) {z.event_probability:.4f}")
    console.print(f"Expected events H0 {z.expected_events_h0:.1f}, H1 {z.expected_events_h1:.1f}; expected "
                  f"duration H1 {z.study_duration_h1:.2f}, expected patients H1 {z.expected_subjects_h1:.1f}")


def render_rates(plan: RatesPlan) -> None:
    render_design(plan)
    z = plan.sample_size
    console.print(f"Rates p1 = {z.p1:g} vs p2 = {z.p2:g} ({z.variance.value} variance): "
                  f"N = {z.max_subjects:.1f} ({z.max_subjects_experimental:.1f} + "
                  f"{z.max_subjects_control:.1f}); fixed design {z.n_fixed:.1f}")
    line = f"Power with N = {plan.n_total:.0f}: {plan.power_normal:.4f} (normal approximation)"
    if plan.power_exact is not None and plan.exact_test is not None:
        line += f", {plan.power_exact:.4f} (exact {plan.exact_test.value})"
    console.print(line)
    if plan.exact_sample_size is not None:
        e = plan.exact_sample_size
        console.print(f"Exact ({e.test.value}) sample size: {e.n_experimental} + {e.n_control} = {e.n_total} "
                      f"(power {e.power:.4f})")


def design_command(
    endpoint: str = typer.Option("survival", "--endpoint", help="survival or rates (6-month PFS)."),
    k_max: int = typer.Option(1, "--kmax", help="Number of analyses (1 = fixed design)."),
    alpha: float = typer.Option(0.025, "--alpha", help="Type I error (total when two-sided)."),
    beta: float = typer.Option(0.2, "--beta", help="Type II error (power = 1 - beta)."),
    sided: int = typer.Option(1, "--sided", help="1 or 2."),
    type_of_design: str = typer.Option("asOF", "--type", help="asOF, asP, asKD, asHSD, OF, P or WT."),
    gamma_a: float | None = typer.Option(None, "--gamma", help="rho (asKD) or gamma (asHSD)."),
    delta_wt: float | None = typer.Option(None, "--delta-wt", help="Delta of a WT design."),
    info_rates: str | None = typer.Option(None, "--info-rates", help="Information fractions, e.g. 0.4,1."),
    futility: str | None = typer.Option(None, "--futility", help="Futility z per interim, e.g. 0,0.5."),
    beta_spending: str = typer.Option("none", "--beta-spending", help="none, bsOF, bsP, bsKD or bsHSD."),
    gamma_b: float | None = typer.Option(None, "--gamma-b", help="Parameter of bsKD/bsHSD."),
    binding: bool = typer.Option(False, "--binding/--non-binding", help="Binding futility bounds."),
    hazard_ratio: float = typer.Option(0.65, "--hr", help="Hazard ratio, experimental / control."),
    median_control: float | None = typer.Option(None, "--median-control", help="Control median (10.2)."),
    control_survival: str | None = typer.Option(None, "--control-survival", help="Control S@t (0.665@6)."),
    accrual_time: float = typer.Option(22.0, "--accrual", help="Uniform accrual duration."),
    follow_up: float = typer.Option(12.0, "--follow-up", help="Follow-up after the end of accrual."),
    dropout: float = typer.Option(0.0, "--dropout", help="Proportion lost by --dropout-time (both arms)."),
    dropout_time: float = typer.Option(12.0, "--dropout-time", help="Time of the dropout proportion."),
    ratio: float = typer.Option(1.0, "--ratio", help="Allocation ratio n1/n2 (experimental / control)."),
    method: str = typer.Option("Schoenfeld", "--method",
                               help="Schoenfeld, Freedman, HsiehFreedman, LachinFoulkes or "
                                    "LachinFoulkesDifference."),
    p1: float = typer.Option(0.78, "--p1", help="Experimental rate (6-month PFS)."),
    p2: float = typer.Option(0.66, "--p2", help="Control rate (6-month PFS)."),
    n_total: float | None = typer.Option(None, "--n", help="Total patients for the power."),
    variance: str = typer.Option("pooled", "--variance", help="pooled (rpact) or unpooled."),
    exact: str | None = typer.Option(None, "--exact", help="Add exact power: fisher or unconditional."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the power curve to FILE (.svg/.png/.pdf)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Plan a trial: group sequential bounds (equal to rpact's), events or patients, and the power curve."""
    with domain_errors(as_json):
        spec = DesignSpec(k_max=k_max, alpha=alpha, beta=beta, sided=sided,
                          information_rates=_numbers(info_rates, "--info-rates"),
                          type_of_design=_choice(DesignType, type_of_design, "--type"), gamma_a=gamma_a,
                          delta_wt=delta_wt, futility_bounds=_numbers(futility, "--futility"),
                          beta_spending=_choice(BetaSpendingType, beta_spending, "--beta-spending"),
                          gamma_b=gamma_b, binding_futility=binding)
        plan: SurvivalPlan | RatesPlan
        if endpoint.lower() == "survival":
            drop = dropout_hazard(dropout, dropout_time)
            plan = plan_survival(spec, _hazard(median_control, control_survival), hazard_ratio,
                                 Accrual(accrual_time, follow_up, ratio, drop, drop),
                                 _choice(SurvivalMethod, method, "--method"))
        elif endpoint.lower() == "rates":
            plan = plan_rates(spec, p1, p2, n_total, ratio, _choice(Variance, variance, "--variance"),
                              None if exact is None else _choice(ExactTest, exact, "--exact"))
        else:
            raise DomainError("--endpoint", endpoint, "survival or rates")
        data = plan.to_dict()
        if plot is not None:
            data["plot"] = str(plot_power_curve(plan.power_curve, plot, 1 - beta))
        emit(data, lambda: render_plan(plan, plot), as_json)


def render_plan(plan: SurvivalPlan | RatesPlan, plot: Path | None) -> None:
    if isinstance(plan, SurvivalPlan):
        render_survival(plan)
    else:
        render_rates(plan)
    if plot is not None:
        console.print(f"Power curve written to {plot}")
