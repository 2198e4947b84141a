"""Clinical calculators: BSA, Child-Pugh, Cockcroft–Gault creatinine clearance, ECOG.

Pure functions over :class:`~oncotrial.core.units.Measurement` inputs; results are
numbers or frozen dataclasses. Each module cites the published source of its formula.
"""

from oncotrial.core.calculators.bsa import (
    BsaFormula,
    body_surface_area,
    bsa_du_bois,
    bsa_gehan_george,
    bsa_haycock,
    bsa_mosteller,
)
from oncotrial.core.calculators.child_pugh import (
    AlbuminCutoffs,
    Ascites,
    ChildPughClass,
    ChildPughResult,
    CoagulationBasis,
    Encephalopathy,
    child_pugh_class,
    child_pugh_score,
)
from oncotrial.core.calculators.creatinine_clearance import (
    CreatinineClearance,
    Sex,
    WeightBasis,
    adjusted_body_weight,
    creatinine_clearance_cockcroft_gault,
    ideal_body_weight_devine,
)
from oncotrial.core.calculators.ecog import EcogPerformanceStatus, ecog_status

__all__ = [
    "AlbuminCutoffs",
    "Ascites",
    "BsaFormula",
    "ChildPughClass",
    "ChildPughResult",
    "CoagulationBasis",
    "CreatinineClearance",
    "EcogPerformanceStatus",
    "Encephalopathy",
    "Sex",
    "WeightBasis",
    "adjusted_body_weight",
    "body_surface_area",
    "bsa_du_bois",
    "bsa_gehan_george",
    "bsa_haycock",
    "bsa_mosteller",
    "child_pugh_class",
    "child_pugh_score",
    "creatinine_clearance_cockcroft_gault",
    "ecog_status",
    "ideal_body_weight_devine",
]
