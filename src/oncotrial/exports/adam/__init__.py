"""CDISC ADaM datasets (ADSL, ADTTE, ADRS, ADAE, ADLB) built from the core records, endpoint
derivations and clinical records, driven by one specification table (:mod:`.spec`)."""

from oncotrial.exports.adam.conformance import Finding, check_adam
from oncotrial.exports.adam.metadata import Dataset, DatasetSpec, Variable, VarType
from oncotrial.exports.adam.package import AdamPackage, build_adam, build_simulated_demo_adam

__all__ = ["AdamPackage", "Dataset", "DatasetSpec", "Finding", "VarType", "Variable", "build_adam",
           "build_simulated_demo_adam", "check_adam"]
