"""Build every ADaM dataset of a trial data file: ADSL, ADTTE, ADRS, ADAE."""

from __future__ import annotations

from dataclasses import dataclass

from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.protocol.model import Protocol
from oncotrial.exports.adam.adae import build_adae
from oncotrial.exports.adam.adrs import build_adrs
from oncotrial.exports.adam.adsl import build_adsl
from oncotrial.exports.adam.adtte import build_adtte
from oncotrial.exports.adam.metadata import Dataset
from oncotrial.exports.adam.settings import adam_settings


@dataclass(frozen=True, slots=True)
class AdamPackage:
    trial: str
    simulated: bool
    adsl: Dataset
    adtte: Dataset
    adrs: Dataset
    adae: Dataset

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        return (self.adsl, self.adtte, self.adrs, self.adae)


def build_adam(data: TrialData, *, protocol: Protocol | None = None) -> AdamPackage:
    """ADaM datasets with the protocol's censoring, BOR and stratification settings.

    Pass the same ``protocol`` as to ``analyze_trial``: then every ADTTE/ADRS value equals
    the analysis value (both call the same core derivations with the same settings).
    """
    settings = adam_settings(data, protocol)
    return AdamPackage(data.trial, data.simulated, build_adsl(data, settings),
                       build_adtte(data, settings), build_adrs(data, settings),
                       build_adae(data, settings))
