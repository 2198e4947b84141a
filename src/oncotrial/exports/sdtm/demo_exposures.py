"""Study-treatment exposure of the SIMULATED demo trial (:mod:`.demo_records`) [ASSUMP].

One 21-day cycle per 21 days between first and last dose; per cycle the protocol regimen of
the subject's arm (day 1 oxaliplatin and toripalimab, days 1 and 8 gemcitabine, lenvatinib
daily by weight band) with an occasional 20 % reduction (12 % of cycles after the first).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from oncotrial.core.protocol.model import Arm, DoseBasis, ScheduleType
from oncotrial.exports.clinical_records import Exposure
from oncotrial.exports.sdtm.demo_parts import _Parts
from oncotrial.exports.sdtm.demo_visits import CYCLE_DAYS, cycle_visit

ROUTES = {"iv": "INTRAVENOUS", "oral": "ORAL", "hepatic_arterial_infusion": "INTRA-ARTERIAL"}


def _cycle_exposures(
    pid: str, arm: Arm, k: int, d1: date, last: date, bsa: float, weight: float, rng: random.Random, p: _Parts
) -> None:
    reduced = k > 1 and rng.random() < 0.12
    for regimen in arm.regimen:
        form = "CAPSULE" if regimen.route.value == "oral" else "INJECTION"
        route = ROUTES[regimen.route.value]
        if regimen.schedule.type is ScheduleType.DAILY:
            band = next(
                b
                for b in regimen.dose.bands
                if (b.min_kg is None or weight >= b.min_kg) and (b.below_kg is None or weight < b.below_kg)
            )
            end = min(d1 + timedelta(days=CYCLE_DAYS - 1), last)
            p.exposures.append(
                Exposure(
                    pid,
                    regimen.drug,
                    band.amount_mg,
                    "mg",
                    route,
                    form,
                    d1,
                    end,
                    k,
                    cycle_visit(k, 1)[0],
                    band.amount_mg,
                    "QD",
                )
            )
            continue
        for day in regimen.schedule.days:
            on = d1 + timedelta(days=day - 1)
            if on > last:
                continue
            assert regimen.dose.amount is not None
            factor = 0.8 if reduced and regimen.drug in ("gemcitabine", "oxaliplatin") else 1.0
            dose = round(regimen.dose.amount * factor, 1)
            given = dose * bsa if regimen.dose.basis is DoseBasis.MG_PER_M2 else dose
            unit = "mg/m2" if regimen.dose.basis is DoseBasis.MG_PER_M2 else "mg"
            p.exposures.append(
                Exposure(
                    pid,
                    regimen.drug,
                    dose,
                    unit,
                    route,
                    form,
                    on,
                    on,
                    k,
                    cycle_visit(k, day)[0],
                    round(given, 1),
                    "ONCE",
                    "ADVERSE EVENT" if factor < 1 else None,
                )
            )
