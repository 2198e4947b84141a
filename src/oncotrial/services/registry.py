"""The public registry page of the trial: the protocol file's registry record, as HTML.

The record is exported from the protocol file exactly as ``oncotrial ctgov export``
writes it; its "Study Results" section is filled from the database's analyses and
marked simulated while the data are.
"""

from __future__ import annotations

from oncotrial.exports.ctgov.study_export import export_study
from oncotrial.services.protocol import current_protocol


def registry_study() -> dict[str, object]:
    """The ClinicalTrials.gov API v2 study JSON for the current protocol."""
    return dict(export_study(current_protocol()).study)

