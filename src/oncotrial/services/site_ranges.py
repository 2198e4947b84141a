"""A site's laboratory reference ranges, in the patient document's ``reference_ranges`` shape.

Screening forms entered in the application carry the ranges of the subject's site, as
stored (``LabReferenceRange``), so that ULN-based criteria are judged against the
laboratory that measured the values.
"""

from __future__ import annotations

from oncotrial.persistence.models import LabReferenceRange


def reference_ranges_document(site_code: str) -> dict[str, object] | None:
    rows = LabReferenceRange.objects.filter(site__code=site_code).order_by("test")
    ranges = []
    for row in rows:
        entry: dict[str, object] = {"test": row.test, "unit": row.unit}
        if row.lln is not None:
            entry["lln"] = row.lln
        if row.uln is not None:
            entry["uln"] = row.uln
        ranges.append(entry)
    return {"site_id": site_code, "ranges": ranges} if ranges else None
