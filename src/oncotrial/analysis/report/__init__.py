"""The complete trial report (issue 7 §3): HTML with inline SVG figures, and its PDF.

Entry points: :func:`write_report` (files), :func:`render_report_html` (fragment for the
web application), :func:`report_numbers` (every number, for tests and other outputs).
Inputs: :class:`~oncotrial.core.endpoints.trial_data.TrialData` and
:class:`~oncotrial.analysis.report_data.ReportExtras`.
"""

from oncotrial.analysis.report.document import ReportFiles, render_report_html, write_report
from oncotrial.analysis.report.numbers import ReportNumbers, report_numbers

__all__ = ["ReportFiles", "ReportNumbers", "render_report_html", "report_numbers", "write_report"]
