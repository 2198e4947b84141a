"""What derivations and cross-form edit checks read about a subject, loaded once per save.

Each property runs at most one query, and only when a form's hooks ask for it, so a
save of a simple form stays a handful of queries.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Any

from django.utils import timezone

from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.reference_ranges import ReferenceRange, SiteReferenceRanges, reference_range
from oncotrial.core.units import Measurand, Measurement, measure, parse_measurand
from oncotrial.persistence.models import (
    Allocation,
    Consent,
    FormRecord,
    LabReferenceRange,
    Screening,
    Subject,
    TreatmentCourse,
    Visit,
)
from oncotrial.services.protocol import current_protocol


class FormContext:
    """The subject, visit and record a form is saved for, and lazily what hooks read."""

    def __init__(
        self,
        subject: Subject,
        form_code: str,
        *,
        visit: Visit | None = None,
        record: FormRecord | None = None,
        today: date,
    ) -> None:
        self.subject = subject
        self.form_code = form_code
        self.visit = visit
        self.record = record
        self.today = today

    @property
    def protocol(self) -> Protocol:
        return current_protocol()

    @cached_property
    def consent_date(self) -> date | None:
        first = Consent.objects.filter(subject=self.subject).order_by("consent_date").first()
        return None if first is None else first.consent_date

    @cached_property
    def allocation(self) -> Allocation | None:
        return Allocation.objects.select_related("slot").filter(subject=self.subject).first()

    @property
    def arm(self) -> str | None:
        return None if self.allocation is None else self.allocation.slot.arm

    @property
    def randomization_date(self) -> date | None:
        course = self.treatment
        if course is not None:
            found: date = course.randomization_date
            return found
        if self.allocation is None:
            return None
        return timezone.localtime(self.allocation.allocated_at).date()

    @cached_property
    def treatment(self) -> TreatmentCourse | None:
        return TreatmentCourse.objects.filter(subject=self.subject).first()

    @cached_property
    def screening_data(self) -> dict[str, Any]:
        screening = Screening.objects.filter(subject=self.subject).order_by("id").last()
        data = {} if screening is None else screening.data
        return data if isinstance(data, dict) else {}

    @cached_property
    def reference_ranges(self) -> SiteReferenceRanges:
        """The site's ranges (``LabReferenceRange``), else those of the screening document."""
        ranges: dict[Measurand, ReferenceRange] = {}
        for row in LabReferenceRange.objects.filter(site_id=self.subject.site_id):
            measurand = Measurand(row.test)
            ranges[measurand] = reference_range(measurand, row.lln, row.uln, row.unit, field=row.test)
        document = self.screening_data.get("reference_ranges")
        entries = document.get("ranges", []) if isinstance(document, dict) else []
        for entry in entries if isinstance(entries, list) else []:
            try:
                measurand = parse_measurand(entry.get("test"), field="reference_ranges.test")
                if measurand not in ranges:
                    ranges[measurand] = reference_range(
                        measurand,
                        entry.get("lln"),
                        entry.get("uln"),
                        entry.get("unit"),
                        field=measurand.value,
                    )
            except (DomainError, AttributeError):
                continue
        site = self.subject.site.code
        return SiteReferenceRanges(site, MappingProxyType(ranges))

    @cached_property
    def baseline_labs(self) -> dict[Measurand, Measurement]:
        """Pre-treatment labs: the screening document's results (CTCAE baseline)."""
        found: dict[Measurand, Measurement] = {}
        labs = self.screening_data.get("labs", [])
        for entry in labs if isinstance(labs, list) else []:
            try:
                measurand = parse_measurand(entry.get("test"), field="labs.test")
                found[measurand] = measure(measurand, entry.get("value"), entry.get("unit"))
            except (DomainError, AttributeError):
                continue
        return found

    def screening_measurement(self, key: str, measurand: Measurand) -> Measurement | None:
        entry = self.screening_data.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            return measure(measurand, entry.get("value"), entry.get("unit"))
        except DomainError:
            return None

    def records(
        self, form_code: str, *, since: date | None = None, until: date | None = None
    ) -> list[FormRecord]:
        """The subject's other saved records of ``form_code`` (this record excluded), by id.

        ``since``/``until`` keep the records dated (``record_date``) within those days, so
        that a save late in a long treatment reads the few records it needs, not all.
        """
        cache = self.__dict__.setdefault("_records", {})
        key = (form_code, since, until)
        if key not in cache:
            rows = FormRecord.objects.filter(subject=self.subject, form_code=form_code).order_by("id")
            if since is not None:
                rows = rows.filter(record_date__gte=since)
            if until is not None:
                rows = rows.filter(record_date__lte=until)
            if self.record is not None:
                rows = rows.exclude(pk=self.record.pk)
            cache[key] = list(rows)
        found: list[FormRecord] = cache[key]
        return found
