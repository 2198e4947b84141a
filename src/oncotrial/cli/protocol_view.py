"""Readable protocol summary in the spirit of the registry page."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from oncotrial.core.protocol.model import Protocol

ROUTES = {"iv": "IV", "oral": "oral", "hepatic_arterial_infusion": "HAIC (intra-arterial)"}


def render_protocol(p: Protocol, console: Console) -> None:
    ident, design = p.identification, p.design
    head = (f"[bold]{ident.brief_title}[/]\n{ident.nct_id}"
            f"{' · ' + ident.org_study_id if ident.org_study_id else ''} · {design.phase} · "
            f"{design.allocation.lower()} · {design.intervention_model.lower()} · "
            f"masking {design.masking.lower()} · target {design.target_enrollment} participants\n"
            f"Conditions: {', '.join(ident.conditions)}\n"
            f"Sponsor: {ident.sponsor}"
            f"{' · Responsible party: ' + ident.responsible_party if ident.responsible_party else ''}\n"
            f"Start {design.start_date} · completion {design.completion_date} · "
            f"status {ident.overall_status} (record updated {ident.registry_last_updated})")
    console.print(Panel(head, title="Protocol", expand=False))

    ratio = ":".join(str(a.allocation_weight) for a in p.arms)
    console.print(f"[bold]Arms[/], randomized {ratio}:")
    for a in p.arms:
        arm = Table(title=f"{a.code}: {a.label} ({a.cycle_length_days}-day cycles)")
        for col in ("Drug", "Route", "Dose", "Schedule", "Infusion"):
            arm.add_column(col)
        for r in a.regimen:
            schedule = ("daily" if not r.schedule.days
                        else ", ".join(f"D{d}" for d in r.schedule.days) + f" q{a.cycle_length_days}d")
            arm.add_row(r.drug, ROUTES[r.route.value], r.dose.describe(), schedule,
                        f"{r.infusion_minutes} min" if r.infusion_minutes else "")
        console.print(arm)

    ends = Table(title="Endpoints")
    for col in ("Type", "Code", "Title", "Criteria", "Time frame"):
        ends.add_column(col)
    for e in p.endpoints:
        ends.add_row(e.type, e.code, e.title, e.criteria or "", e.time_frame or "")
    console.print(ends)

    crit = Table(title=f"Eligibility (age ≥ {p.eligibility.minimum_age_years}, "
                       f"sex {p.eligibility.sex.lower()})")
    for col in ("Code", "Kind", "Record text", "Executable rule"):
        crit.add_column(col)
    for c in p.eligibility.criteria:
        crit.add_row(c.code, c.kind.value, c.text, c.rule.describe())
    console.print(crit)

    sched = Table(title="Schedule of assessments")
    for col in ("Code", "Assessment", "When", "Window"):
        sched.add_column(col)
    for s in p.assessments:
        when = (f"every {s.interval_days} days from randomization" if s.anchor == "randomization"
                else "cycle day " + ", ".join(str(d) for d in s.cycle_days))
        sched.add_row(s.code, s.name, when, f"-{s.window_minus_days}/+{s.window_plus_days} d")
    console.print(sched)

    strat = ", ".join(f"{f.label} ({'/'.join(f.levels)})" for f in p.stratification.factors)
    rnd = p.randomization
    console.print(f"[bold]Stratification:[/] {strat or 'none'}")
    console.print(f"[bold]Randomization:[/] {rnd.scheme.replace('_', ' ')}, block sizes "
                  f"{', '.join(map(str, rnd.block_sizes))}; minimization p = "
                  f"{rnd.minimization_probability:g}")

    assumptions = Table(title="Assumptions (values the record leaves open: edit the protocol file)")
    for col in ("Parameter", "Value", "Rationale"):
        assumptions.add_column(col)
    for item in p.assumptions:
        value = "open-ended" if item.value is None else str(item.value)
        assumptions.add_row(item.name, value, item.rationale)
    for a in p.arms:
        for r in a.regimen:
            for note in (r.dose.assumption, r.infusion_minutes_assumption):
                if note:
                    assumptions.add_row(f"{a.code} {r.drug}", "", note)
    for s in p.assessments:
        if s.assumption:
            assumptions.add_row(f"assessment {s.code}", "", s.assumption)
    for note in (p.stratification.assumption, rnd.assumption):
        if note:
            assumptions.add_row("design", "", note)
    for c in p.eligibility.criteria:
        if c.interpretation:
            assumptions.add_row(f"criterion {c.code}", "", c.interpretation)
    console.print(assumptions)
