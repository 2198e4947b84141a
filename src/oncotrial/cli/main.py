"""Entry point of the ``oncotrial`` command."""

from __future__ import annotations

import typer

from oncotrial.cli import (
    admin_cmd,
    analyze_cmd,
    audit_cmd,
    ctgov_cmd,
    demo_cmd,
    design_cmd,
    dose_cmd,
    example_cmd,
    export_all_cmd,
    export_cmd,
    export_fhir_cmd,
    export_odm_cmd,
    export_sdtm_cmd,
    protocol_cmd,
    randomization_cmd,
    recist_cmd,
    report_cmd,
    screen_cmd,
    serve_cmd,
    simulate_cmd,
)

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Oncotrial: run a randomized oncology trial (built-in protocol NCT07304388).")
app.add_typer(protocol_cmd.app, name="protocol")
app.add_typer(randomization_cmd.app, name="randomization")
app.add_typer(ctgov_cmd.app, name="ctgov")
export_cmd.app.command("fhir")(export_fhir_cmd.fhir_command)
export_cmd.app.command("odm")(export_odm_cmd.odm_command)
export_cmd.app.command("all")(export_all_cmd.export_all_command)
export_cmd.app.command("sdtm")(export_sdtm_cmd.sdtm_command)
export_cmd.app.command("define")(export_sdtm_cmd.define_command)
app.add_typer(export_cmd.app, name="export")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(admin_cmd.app, name="admin")
app.command("screen")(screen_cmd.screen_command)
app.command("design")(design_cmd.design_command)
app.command("dose")(dose_cmd.dose_command)
app.command("recist")(recist_cmd.recist_command)
app.command("analyze")(analyze_cmd.analyze_command)
app.command("simulate")(simulate_cmd.simulate_command)
app.command("demo")(demo_cmd.demo_command)
app.command("example")(example_cmd.example_command)
app.command("serve")(serve_cmd.serve_command)
app.command("report")(report_cmd.report_command)
