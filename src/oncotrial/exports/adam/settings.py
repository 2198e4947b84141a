"""The protocol-driven settings every ADaM builder shares with ``analyze_trial``.

They come from the same functions :func:`oncotrial.analysis.trial_analysis.analyze_trial`
calls (core.endpoints.protocol_settings), so ADTTE and ADRS execute the protocol's
censoring, BOR and stratification rules exactly as the report does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncotrial.core.endpoints.protocol_settings import pfs_censoring, response_settings
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import ResponseSettings
from oncotrial.core.endpoints.time_to_event import PfsCensoring
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.protocol.model import Protocol, StratificationFactor
from oncotrial.core.response.best_response import Confirmation

DEFAULT_FACTORS = (
    StratificationFactor("extrahepatic_metastasis", "Extrahepatic metastasis",
                         "extrahepatic_metastasis", ("yes", "no")),
    StratificationFactor("ecog", "ECOG performance status", "ecog", ("0", "1")),
)
"""analyze_trial's default stratification when no protocol is given."""


@dataclass(frozen=True, slots=True)
class AdamSettings:
    trial: str
    cutoff: date
    simulated: bool
    censoring: PfsCensoring
    response: ResponseSettings
    confirmed: ResponseSettings
    """BOR settings with confirmation required (CBOR), the protocol's interval or 28 days."""
    factors: tuple[StratificationFactor, ...]
    single_site: str | None = None
    """The protocol's site code when it lists exactly one site (SITEID without a `site` attribute)."""

    def usubjid(self, record: PatientRecord) -> str:
        return f"{self.trial}-{record.patient_id}"


def adam_settings(data: TrialData, protocol: Protocol | None = None) -> AdamSettings:
    response = response_settings(protocol) if protocol else ResponseSettings()
    confirmation = response.confirmation or Confirmation()
    return AdamSettings(
        trial=data.trial, cutoff=data.cutoff, simulated=data.simulated,
        censoring=pfs_censoring(protocol) if protocol else PfsCensoring(),
        response=response,
        confirmed=ResponseSettings(sd_min_days=response.sd_min_days, confirmation=confirmation),
        factors=protocol.stratification.factors if protocol else DEFAULT_FACTORS,
        single_site=protocol.identification.sites[0].code
        if protocol and len(protocol.identification.sites) == 1 else None)


def stratum(record: PatientRecord, factors: tuple[StratificationFactor, ...]) -> str | None:
    """The stratum label analyze_trial uses ('f=level;…' over the factors all records carry)."""
    present = [f.attribute for f in factors if f.attribute in record.attributes]
    if not present:
        return None
    return ";".join(f"{f}={record.attributes[f]}" for f in present)
