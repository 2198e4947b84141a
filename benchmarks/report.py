"""Trial report speed: `oncotrial report --simulated-demo` for 120 patients, step by step.

The whole command runs in a fresh process (imports included), as a user would run it;
then the steps are timed in this process. Target (issue 7 §3): < 10 s for 120 patients.
Prints figures; asserts nothing. Run: ``.venv/bin/python benchmarks/report.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from oncotrial.analysis.report import write_report
from oncotrial.analysis.report.pdf import chromium_path
from oncotrial.analysis.report_data import simulated_report_inputs

COMMAND = """
import sys
from oncotrial.cli.report_cmd import report_command
import typer
app = typer.Typer()
app.command("report")(report_command)
app.command("noop")(lambda: None)
app(["report", "--simulated-demo", "--out", sys.argv[1], *sys.argv[2:]])
"""


def whole_command(out: Path, pdf: bool) -> float:
    start = time.perf_counter()
    args = [sys.executable, "-c", COMMAND, str(out), *([] if pdf else ["--no-pdf"])]
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    pdf = chromium_path() is not None
    print("SIMULATED DATA: not results of NCT07304388")
    with tempfile.TemporaryDirectory() as tmp:
        wall = whole_command(Path(tmp) / "cli", pdf)
        print(f"oncotrial report --simulated-demo{'' if pdf else ' --no-pdf'} (fresh process): {wall:6.2f} s")
        start = time.perf_counter()
        data, extras = simulated_report_inputs(20230801)
        inputs = time.perf_counter() - start
        files = write_report(data, extras, Path(tmp) / "lib", pdf=pdf)
        print(f"  inputs (simulated trial + extras)   {inputs:6.2f} s")
        for step, seconds in files.timings.items():
            print(f"  {step:<36}{seconds:6.2f} s")
        size = files.html.stat().st_size / 1e6
        print(f"  report.html {size:.2f} MB" + (f", report.pdf {files.pdf.stat().st_size / 1e6:.2f} MB"
                                                  if files.pdf else " (no Chromium: PDF skipped)"))


if __name__ == "__main__":
    main()
