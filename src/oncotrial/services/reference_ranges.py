"""A site laboratory's reference ranges (LLN/ULN), used to grade labs by CTCAE v5.0.

Ranges are data supplied per site (core :mod:`oncotrial.core.reference_ranges`); the
core never assumes one. Without a stored range, the ranges of the subject's screening
document are used.
"""

from __future__ import annotations

from django.db import transaction

from oncotrial.core.reference_ranges import reference_range
from oncotrial.core.units import parse_measurand
from oncotrial.persistence.models import LabReferenceRange, Site
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.permissions import Action


def do_set_reference_range(
    ctx: AuditContext, site: Site, *, test: str, lln: float | None, uln: float | None, unit: str
) -> LabReferenceRange:
    """Create or replace ``site``'s range for ``test`` (validated by core: unit, plausibility, lln < uln)."""
    permitted(ctx, Action.MANAGE_REFERENCE_RANGES, site)
    measurand = parse_measurand(test, field="test")
    reference_range(measurand, lln, uln, unit, field=measurand.value)  # refuses a bad unit or range
    with transaction.atomic():
        row = LabReferenceRange.objects.select_for_update().filter(site=site, test=measurand.value).first()
        old = None if row is None else {"lln": row.lln, "uln": row.uln, "unit": row.unit}
        new = {"lln": lln, "uln": uln, "unit": unit}
        if row is None:
            row = LabReferenceRange(site=site, test=measurand.value)
        row.lln, row.uln, row.unit, row.updated_at = lln, uln, unit, clock.now()
        row.save()
        record(
            ctx,
            "set_reference_range",
            "reference_range",
            f"{site.code}:{measurand.value}",
            changes={"range": (old, new)},
        )
    return row
