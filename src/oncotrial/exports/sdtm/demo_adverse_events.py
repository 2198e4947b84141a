"""Adverse events of the SIMULATED demo trial (:mod:`.demo_records`) [ASSUMP].

The generator's adverse events with end date, causality, action taken, outcome and MedDRA SOC;
events after the cut-off or after death are left out (the generator draws onsets up to 120
days after the first dose regardless of either). Grade ≥ 2 hypertension adds amlodipine.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.grading.ctcae_v5_tables import SYSTEM_ORGAN_CLASS, Term
from oncotrial.core.protocol.model import Arm
from oncotrial.exports.clinical_records import AdverseEvent, Causality, ConMed
from oncotrial.exports.sdtm.demo_parts import _Parts

#: MedDRA SOC of the simulated terms the core grading tables do not carry (CTCAE v5.0 SOC of
#: the term; HAIC complications [ASSUMP]: the SOC of the closest CTCAE v5.0 term).
EXTRA_SOC: dict[str, str] = {
    "Fatigue": "General disorders and administration site conditions",
    "Peripheral sensory neuropathy": "Nervous system disorders",
    "Abdominal pain": "Gastrointestinal disorders",
    "Hypothyroidism": "Endocrine disorders",
    "Puncture site hematoma": "Injury, poisoning and procedural complications",
    "Hepatic artery occlusion": "Vascular disorders",
    "Gastroduodenal ulcer": "Gastrointestinal disorders",
    "Catheter dislocation": "Injury, poisoning and procedural complications",
    "Alanine aminotransferase increased": "Investigations",
}
#: The drugs an AE term is attributed to when the generator says "related" [ASSUMP].
CAUSES: dict[str, tuple[str, ...]] = {
    "Neutrophil count decreased": ("gemcitabine", "oxaliplatin"),
    "Platelet count decreased": ("gemcitabine", "oxaliplatin"),
    "Peripheral sensory neuropathy": ("oxaliplatin",),
    "Hypertension": ("lenvatinib",),
    "Proteinuria": ("lenvatinib",),
    "Hypothyroidism": ("toripalimab", "lenvatinib"),
}


def _adverse_events(
    r: PatientRecord, arm: Arm, cutoff: date, died: date | None, rng: random.Random, p: _Parts
) -> None:
    last_day = min(cutoff, died) if died else cutoff
    drugs = tuple(reg.drug for reg in arm.regimen)
    for ae in r.adverse_events:
        if ae.start_date > last_day:
            continue
        end: date | None = ae.start_date + timedelta(days=rng.randint(3, 40))
        if end is not None and end > last_day:
            end = None
        causes = CAUSES.get(ae.term, ("oxaliplatin",) if ae.haic_procedure else drugs)
        causality = tuple(Causality(d, ae.related and d in causes) for d in drugs)
        if ae.led_to_discontinuation:
            action = "DRUG WITHDRAWN"
        elif ae.grade >= 3:
            action = rng.choice(("DOSE REDUCED", "DRUG INTERRUPTED"))
        else:
            action = "DOSE NOT CHANGED"
        outcome = "RECOVERED/RESOLVED" if end is not None else "NOT RECOVERED/NOT RESOLVED"
        p.aes.append(
            AdverseEvent(
                r.patient_id,
                ae.term,
                ae.term,
                _soc(ae.term),
                ae.grade,
                ae.serious,
                ae.start_date,
                end,
                causality,
                action,
                outcome,
                ae.haic_procedure,
            )
        )
        if ae.term == "Hypertension" and ae.grade >= 2:
            p.cms.append(
                ConMed(
                    r.patient_id,
                    "AMLODIPINE",
                    "CONCOMITANT MEDICATION",
                    "Hypertension",
                    5.0,
                    "mg",
                    "ORAL",
                    "QD",
                    ae.start_date,
                    end,
                )
            )


def _soc(term: str) -> str:
    try:
        return SYSTEM_ORGAN_CLASS[Term(term)]
    except ValueError:
        return EXTRA_SOC.get(term, "General disorders and administration site conditions")
