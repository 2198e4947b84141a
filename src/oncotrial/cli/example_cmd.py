"""``oncotrial example``: screening and randomization worked on SIMULATED candidates, without a database."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table

from oncotrial.cli.output import SIMULATED_BANNER, console, domain_errors, emit
from oncotrial.cli.protocol_cmd import JSON, PROTOCOL, load
from oncotrial.cli.protocol_view import render_protocol
from oncotrial.cli.screen_cmd import render_screening
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.randomization.strata import stratum_key
from oncotrial.simulation.screening_demo import ScreeningDemo, run_screening_demo


def _render(p: Protocol, demo: ScreeningDemo) -> None:
    banner = f"[bold white on red] {SIMULATED_BANNER} [/]"
    console.print(banner)
    render_protocol(p, console)
    console.print()
    console.print(Panel(
        f"{SIMULATED_BANNER}\n{len(demo.screenings)} invented candidates are screened against "
        f"the {len(p.eligibility.criteria)} coded criteria of {p.identification.nct_id}; the "
        f"eligible are randomized ({demo.scheme.value.replace('_', ' ')}, seed {demo.seed}).",
        title="Worked example: screening and randomization", expand=False))

    log = Table(title=f"Screening log ({SIMULATED_BANNER})")
    for col in ("Candidate", "Screened", "Status", "Failed criteria", "Arm", "Slot"):
        log.add_column(col)
    arms = {r.patient_id: r for r in demo.randomized}
    for s in demo.screenings:
        r = arms.get(s.patient_id)
        log.add_row(s.patient_id, str(s.context.on), s.status.value.replace("_", " "),
                    ", ".join(v.code for v in s.failed), r.arm if r else "",
                    r.slot_id if r else "")
    console.print(log)

    texts = {c.code: c.text for c in p.eligibility.criteria}
    excluded = sum(not s.eligible for s in demo.screenings)
    consort = Table(title="CONSORT: assessed for eligibility and excluded, with reasons")
    consort.add_column("Count", justify="right")
    consort.add_column("")
    consort.add_row(str(len(demo.screenings)), "assessed for eligibility")
    consort.add_row(str(excluded), "excluded (not meeting criteria)")
    for code, n in sorted(demo.exclusion_reasons.items()):
        consort.add_row(str(n), f"   {code}: {texts[code]}")
    consort.add_row(str(len(demo.randomized)), "randomized")
    console.print(consort)

    balance = Table(title="Allocation by stratum")
    balance.add_column("Stratum")
    arm_codes = [a.code for a in p.arms]
    for code in arm_codes:
        balance.add_column(code, justify="right")
    strata = sorted({stratum_key(r.stratum) for r in demo.randomized})
    for key in strata:
        balance.add_row(key, *[str(sum(1 for r in demo.randomized
                                       if stratum_key(r.stratum) == key and r.arm == a))
                               for a in arm_codes])
    balance.add_row("[bold]all[/]", *[str(sum(1 for r in demo.randomized if r.arm == a))
                                      for a in arm_codes])
    console.print(balance)

    failed = next((s for s in demo.screenings if s.failed), None)
    if failed is not None:
        console.print(f"\nEvery verdict for one excluded candidate ({failed.patient_id}):")
        render_screening(failed)
    console.print(banner)
    console.print("Next: [bold].venv/bin/oncotrial screen docs/examples/patient.json --on "
                  "2024-03-05[/], [bold].venv/bin/oncotrial randomization report[/], "
                  "[bold].venv/bin/oncotrial recist docs/examples/assessments.json[/]")


def example_command(
    patients: int = typer.Option(40, "--patients", min=1, max=5000,
                                 help="Number of SIMULATED candidates."),
    seed: int = typer.Option(7, "--seed", help="Seed: the same seed gives the same demo."),
    protocol: Path | None = PROTOCOL,
    as_json: bool = JSON,
) -> None:
    """Screen SIMULATED candidates and randomize the eligible (a worked example, no database)."""
    with domain_errors(as_json):
        p = load(protocol)
        demo = run_screening_demo(p, patients, seed)
        emit(demo.to_dict(), lambda: _render(p, demo), as_json)
