"""Clinical and procedure adverse events (CTCAE v5.0 terms), and AE episodes from the labs.

The generators draw in a fixed order, so the SIMULATED trial is reproducible from its seed:

* :mod:`.adverse_event_specs` — the rates, grade splits, onsets and durations per term, with
  their sources (clinical-content.md §2, §4.4; [RECALL]/[ASSUMP] where class-typical);
* :mod:`.adverse_event_common` — the treatment-emergent :class:`Window`, attribution, grade
  course and seriousness [ASSUMP];
* :mod:`.clinical_adverse_events` — clinical, cumulative oxaliplatin neuropathy, HAIC
  procedure and fatal events;
* :mod:`.lab_adverse_events` — grade ≥ 2 runs of the scripted lab values as AE episodes.

This module is their public face: import from here.
"""

from __future__ import annotations

from oncotrial.synthetic.adverse_event_common import Window
from oncotrial.synthetic.adverse_event_specs import (
    CLINICAL,
    DRUGS,
    FATAL_TERMS,
    HA_OCCLUSION_TERM,
    HAIC_PATIENT,
    HEPATITIS_TERM,
    INFUSION_PAIN,
    LAB_TERMS,
    NEUROPATHY_TERM,
    AeSpec,
    N,
    P,
    R,
)
from oncotrial.synthetic.clinical_adverse_events import clinical_events, fatal_event, haic_events, neuropathy
from oncotrial.synthetic.lab_adverse_events import lab_events

__all__ = [
    "CLINICAL",
    "DRUGS",
    "FATAL_TERMS",
    "HAIC_PATIENT",
    "HA_OCCLUSION_TERM",
    "HEPATITIS_TERM",
    "INFUSION_PAIN",
    "LAB_TERMS",
    "NEUROPATHY_TERM",
    "AeSpec",
    "N",
    "P",
    "R",
    "Window",
    "clinical_events",
    "fatal_event",
    "haic_events",
    "lab_events",
    "neuropathy",
]
