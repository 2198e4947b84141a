"""What derivations and cross-form edit checks read about a subject, loaded once per save.

Each property runs at most one query, and only when a form's hooks ask for it, so a
save of a simple form stays a handful of queries.

Two facts never change once they exist and are kept on the ``Subject`` instance, so a
caller that reuses one instance for many saves (the trial conductor) reads them once:
the subject's ``Allocation`` (never updated nor deleted; only an existing one is kept)
and, for a randomized subject, its screening document (re-screening after randomization
is refused by :func:`oncotrial.services.subjects.check_screen_subject`). Everything else
(records, site reference ranges, the treatment course) is read again for every save.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, Final

from django.db import connection
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

_ALLOCATION: Final = "_oncotrial_allocation"
_SCREENING: Final = "_oncotrial_randomized_screening"
_BASELINE: Final = "_oncotrial_randomized_baseline_labs"
_DOCUMENT_RANGES: Final = "_oncotrial_randomized_document_ranges"
_FIRST_CONSENT: Final = "_oncotrial_first_consent_date"
_READ: Final = (
    "id",
    "subject_id",
    "visit_id",
    "form_code",
    "data",
    "derived",
    "record_date",
    "status",
    "version",
)
"""The fields of the records that hooks read (``pk``, ``data``, ``derived``…); others load on use."""


@lru_cache(maxsize=4096)
def _site_range(test: str, lln: float | None, uln: float | None, unit: str) -> ReferenceRange:
    """Core :func:`reference_range` of one stored row (a pure function of its values)."""
    measurand = Measurand(test)
    return reference_range(measurand, lln, uln, unit, field=test)


def _site_rows(site_id: int) -> list[tuple[str, float | None, float | None, str]]:
    """The site's ``LabReferenceRange`` rows (test, lln, uln, unit), by test.

    Plain SQL: a derivation reads them on most lab and dose saves, and building the ORM
    query cost several times more than running it.
    """
    table = connection.ops.quote_name(LabReferenceRange._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"SELECT test, lln, uln, unit FROM {table} WHERE site_id = %s ORDER BY test"
        cursor.execute(sql, [site_id])
        return [(str(t), lln, uln, str(u)) for t, lln, uln, u in cursor.fetchall()]


def _read_records(
    subject_pk: int, excluded: int | None, windows: Mapping[str, tuple[date | None, date | None]]
) -> list[FormRecord]:
    """The subject's records of each ``form_code`` dated within its ``(since, until)``, by id.

    One plain ``SELECT`` of the fields in :data:`_READ` (the others load on use), read
    through ``FormRecord.objects.raw`` so that every value is converted as the ORM would.
    Plain SQL because almost every save reads its windows, and building the ORM query
    (an ``OR`` of one filter per form) cost more than running it.
    """
    ops = connection.ops
    where: list[str] = []
    params: list[object] = [subject_pk]
    for code, (since, until) in windows.items():
        terms = ["form_code = %s"]
        params.append(code)
        for bound, op in ((since, ">="), (until, "<=")):
            if bound is not None:
                terms.append(f"record_date {op} %s")
                params.append(ops.adapt_datefield_value(bound))
        where.append("(" + " AND ".join(terms) + ")")
    other = ""
    if excluded is not None:
        other = " AND id <> %s"
        params.append(excluded)
    sql = (
        f"SELECT {', '.join(ops.quote_name(f) for f in _READ)} "
        f"FROM {ops.quote_name(FormRecord._meta.db_table)} "
        f"WHERE subject_id = %s AND ({' OR '.join(where)}){other} ORDER BY id"
    )
    return list(FormRecord.objects.raw(sql, params))


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
        """The first consent's date (consents are only added, never on an earlier date)."""
        kept: date | None = self.subject.__dict__.get(_FIRST_CONSENT)
        if kept is not None:
            return kept
        first = Consent.objects.filter(subject=self.subject).order_by("consent_date").first()
        if first is None:
            return None
        found: date = first.consent_date
        self.subject.__dict__[_FIRST_CONSENT] = found  # it can no longer change
        return found

    @cached_property
    def allocation(self) -> Allocation | None:
        kept: Allocation | None = self.subject.__dict__.get(_ALLOCATION)
        if kept is not None:
            return kept
        found = Allocation.objects.select_related("slot").filter(subject=self.subject).first()
        if found is not None:  # an allocation is never changed nor removed: keep it on the subject
            self.subject.__dict__[_ALLOCATION] = found
        return found

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
        kept: dict[str, Any] | None = self.subject.__dict__.get(_SCREENING)
        if kept is not None:
            return kept
        randomized = self.allocation is not None  # read first: then no screening can follow
        screening = Screening.objects.filter(subject=self.subject).order_by("id").last()
        data = {} if screening is None else screening.data
        found = data if isinstance(data, dict) else {}
        if screening is not None and randomized:
            # randomized: no later screening can replace this document (re-screening is refused)
            self.subject.__dict__[_SCREENING] = found
        return found

    @cached_property
    def reference_ranges(self) -> SiteReferenceRanges:
        """The site's ranges (``LabReferenceRange``), else those of the screening document."""
        ranges: dict[Measurand, ReferenceRange] = {}
        for test, lln, uln, unit in _site_rows(self.subject.site_id):
            ranges[Measurand(test)] = _site_range(test, lln, uln, unit)
        for measurand, found in self._document_ranges().items():
            if measurand not in ranges:
                ranges[measurand] = found
        site = self.subject.site.code
        return SiteReferenceRanges(site, MappingProxyType(ranges))

    def _document_ranges(self) -> dict[Measurand, ReferenceRange]:
        """The screening document's ranges: the first valid entry of each test."""
        kept: dict[Measurand, ReferenceRange] | None = self.subject.__dict__.get(_DOCUMENT_RANGES)
        if kept is not None:
            return kept
        ranges: dict[Measurand, ReferenceRange] = {}
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
        if _SCREENING in self.subject.__dict__:  # parsed from the kept (final) screening document
            self.subject.__dict__[_DOCUMENT_RANGES] = ranges
        return ranges

    @cached_property
    def baseline_labs(self) -> dict[Measurand, Measurement]:
        """Pre-treatment labs: the screening document's results (CTCAE baseline)."""
        kept: dict[Measurand, Measurement] | None = self.subject.__dict__.get(_BASELINE)
        if kept is not None:
            return dict(kept)
        found: dict[Measurand, Measurement] = {}
        labs = self.screening_data.get("labs", [])
        for entry in labs if isinstance(labs, list) else []:
            try:
                measurand = parse_measurand(entry.get("test"), field="labs.test")
                found[measurand] = measure(measurand, entry.get("value"), entry.get("unit"))
            except (DomainError, AttributeError):
                continue
        if _SCREENING in self.subject.__dict__:  # parsed from the kept (final) screening document
            self.subject.__dict__[_BASELINE] = dict(found)
        return found

    def screening_measurement(self, key: str, measurand: Measurand) -> Measurement | None:
        entry = self.screening_data.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            return measure(measurand, entry.get("value"), entry.get("unit"))
        except DomainError:
            return None

    def preload(self, windows: Mapping[str, tuple[date | None, date | None]]) -> None:
        """Read, in one query, what :meth:`records` would return for each ``form_code: (since, until)``.

        The rows are split exactly as :meth:`records` filters them (``record_date`` within
        the bounds, this record excluded, by id); a window already read is not read again.
        """
        cache: dict[tuple[str, date | None, date | None], list[FormRecord]]
        cache = self.__dict__.setdefault("_records", {})
        wanted = {code: bounds for code, bounds in windows.items() if (code, *bounds) not in cache}
        if not wanted:
            return
        found = _read_records(self.subject.pk, None if self.record is None else self.record.pk, wanted)
        for code, (since, until) in wanted.items():
            cache[(code, since, until)] = [
                r
                for r in found
                if r.form_code == code
                and (since is None or (r.record_date is not None and r.record_date >= since))
                and (until is None or (r.record_date is not None and r.record_date <= until))
            ]

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
            self.preload({form_code: (since, until)})
        found: list[FormRecord] = cache[key]
        return found
