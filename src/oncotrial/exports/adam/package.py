"""Build every ADaM dataset of a trial: ADSL, ADTTE, ADRS, ADAE and, with the clinical
records, ADLB (and the ADSL demographics and end of study)."""

from __future__ import annotations

from dataclasses import dataclass

from oncotrial.core.endpoints.trial_data import TrialData, trial_data_from_mapping
from oncotrial.core.protocol.model import Protocol
from oncotrial.exports.adam.adae import build_adae
from oncotrial.exports.adam.adlb import build_adlb
from oncotrial.exports.adam.adrs import build_adrs
from oncotrial.exports.adam.adsl import build_adsl
from oncotrial.exports.adam.adtte import build_adtte
from oncotrial.exports.adam.metadata import Dataset
from oncotrial.exports.adam.settings import adam_settings
from oncotrial.exports.clinical_records import ClinicalRecords


@dataclass(frozen=True, slots=True)
class AdamPackage:
    trial: str
    simulated: bool
    adsl: Dataset
    adtte: Dataset
    adrs: Dataset
    adae: Dataset
    adlb: Dataset | None = None
    """Present when the package was built with the clinical records (labs)."""

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        core = (self.adsl, self.adtte, self.adrs, self.adae)
        return core if self.adlb is None else (*core, self.adlb)


def build_adam(data: TrialData, *, protocol: Protocol | None = None,
               records: ClinicalRecords | None = None) -> AdamPackage:
    """ADaM datasets with the protocol's censoring, BOR and stratification settings.

    Pass the same ``protocol`` as to ``analyze_trial``: then every ADTTE/ADRS value equals
    the analysis value (both call the same core derivations with the same settings).
    ``records`` (the same trial's clinical records) add the ADSL demographics and end of
    study and the ADLB dataset; they change no analysis value.
    """
    settings = adam_settings(data, protocol)
    adsl = build_adsl(data, settings, records)
    return AdamPackage(data.trial, data.simulated, adsl,
                       build_adtte(data, settings), build_adrs(data, settings),
                       build_adae(data, settings),
                       build_adlb(records, adsl) if records is not None else None)


def build_simulated_demo_adam(seed: int = 20230801, *, protocol: Protocol | None = None,
                              patients: int = 120) -> AdamPackage:
    """The ADaM package of the SIMULATED demo trial (``--simulated-demo``) with its clinical records."""
    from oncotrial.exports.clinical_records import clinical_records_from_simulated_demo
    from oncotrial.simulation.trial_outcomes import simulated_trial

    data = trial_data_from_mapping(simulated_trial(patients=patients, seed=seed))
    records = clinical_records_from_simulated_demo(seed, patients=patients, protocol=protocol)
    return build_adam(data, protocol=protocol, records=records)
