"""Site laboratory reference ranges (canonical units of oncotrial.core.units).

Variant 0 is the SYSUCC-style range set used by the project's examples
(docs/examples/patient.json); variants 1 and 2 are common Chinese hospital ranges
(ALT ULN 40 U/L, bilirubin ULN 17.1 or 21 µmol/L, creatinine 44–133 µmol/L) [ASSUMP].
Site *i* (0-based, in the scenario's order) uses variant *i* mod 3, so different sites
grade the same value differently, as in real multi-centre trials.
"""

from __future__ import annotations

from oncotrial.core.units import SPECS, Measurand
from oncotrial.synthetic.model import ReferenceRangeSpec, SiteRanges

M = Measurand

_VARIANTS: tuple[dict[Measurand, tuple[float | None, float | None]], ...] = (
    {
        M.WBC: (3.5, 9.5),
        M.NEUTROPHILS: (1.8, 6.3),
        M.PLATELETS: (125.0, 350.0),
        M.HEMOGLOBIN: (130.0, 175.0),
        M.ALBUMIN: (40.0, 55.0),
        M.BILIRUBIN: (3.4, 20.5),
        M.AST: (15.0, 40.0),
        M.ALT: (9.0, 50.0),
        M.ALP: (45.0, 125.0),
        M.GGT: (10.0, 60.0),
        M.CREATININE: (57.0, 111.0),
        M.PROTHROMBIN_TIME: (11.0, 14.5),
        M.INR: (0.8, 1.2),
        M.URINE_PROTEIN_24H: (None, 0.15),
    },
    {
        M.WBC: (4.0, 10.0),
        M.NEUTROPHILS: (2.0, 7.0),
        M.PLATELETS: (100.0, 300.0),
        M.HEMOGLOBIN: (120.0, 160.0),
        M.ALBUMIN: (35.0, 50.0),
        M.BILIRUBIN: (3.4, 17.1),
        M.AST: (13.0, 35.0),
        M.ALT: (7.0, 40.0),
        M.ALP: (40.0, 150.0),
        M.GGT: (7.0, 45.0),
        M.CREATININE: (44.0, 133.0),
        M.PROTHROMBIN_TIME: (11.0, 13.5),
        M.INR: (0.8, 1.2),
        M.URINE_PROTEIN_24H: (None, 0.15),
    },
    {
        M.WBC: (3.5, 9.5),
        M.NEUTROPHILS: (1.8, 6.3),
        M.PLATELETS: (125.0, 350.0),
        M.HEMOGLOBIN: (115.0, 150.0),
        M.ALBUMIN: (40.0, 55.0),
        M.BILIRUBIN: (5.0, 21.0),
        M.AST: (15.0, 40.0),
        M.ALT: (7.0, 40.0),
        M.ALP: (50.0, 135.0),
        M.GGT: (10.0, 60.0),
        M.CREATININE: (41.0, 111.0),
        M.PROTHROMBIN_TIME: (10.5, 14.0),
        M.INR: (0.85, 1.15),
        M.URINE_PROTEIN_24H: (None, 0.15),
    },
)


def site_ranges(site_id: str, site_index: int) -> SiteRanges:
    """The reference ranges of the site at ``site_index`` in the scenario's site list."""
    variant = _VARIANTS[site_index % len(_VARIANTS)]
    return SiteRanges(
        site_id,
        tuple(
            ReferenceRangeSpec(test, lln, uln, SPECS[test].canonical_unit)
            for test, (lln, uln) in variant.items()
        ),
    )
