"""``insert_rows`` writes what the ORM's own ``save`` would write, in one statement."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from oncotrial.persistence.inserts import insert_rows
from oncotrial.persistence.models import FormRecord, Site, Subject

pytestmark = pytest.mark.django_db

_READ = ("subject_id", "form_code", "unique_key", "data", "derived", "record_date", "status", "version",
         "entered_by_id", "created_at", "updated_at", "verified_by_id", "signed_name")


def _subject(code: str) -> Subject:
    site = Site.objects.create(code=f"S{code}", name="Site", created_at=timezone.now())
    return Subject.objects.create(subject_id=f"P-{code}", site=site, created_at=timezone.now())


_NOW = timezone.now()


def _record(subject: Subject, user: Any, key: str, now: Any = _NOW) -> FormRecord:
    return FormRecord(subject=subject, form_code="death", unique_key=key, record_date=date(2024, 5, 2),
                      data={"death_date": "2024-05-02", "cause": "other", "nested": [1, {"ü": None}]},
                      derived={"x": 1.5}, entered_by=user, created_at=now, updated_at=now)


def test_an_inserted_row_reads_back_exactly_as_an_orm_saved_one(coordinator: Any) -> None:
    subject = _subject("1")
    ours, theirs = _record(subject, coordinator, "k-ours"), _record(subject, coordinator, "k-orm")
    insert_rows([ours], returning=True)
    theirs.save()
    assert ours.pk is not None and not ours._state.adding
    a = FormRecord.objects.filter(pk=ours.pk).values(*_READ).get()
    b = FormRecord.objects.filter(pk=theirs.pk).values(*_READ).get()
    assert {**a, "unique_key": None} == {**b, "unique_key": None}


def test_a_taken_unique_key_raises_the_databases_integrity_error(coordinator: Any) -> None:
    subject = _subject("2")
    insert_rows([_record(subject, coordinator, "same")], returning=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows([_record(subject, coordinator, "same")], returning=True)
    assert FormRecord.objects.filter(unique_key="same").count() == 1


def test_mixed_models_and_a_key_for_several_rows_are_refused(coordinator: Any) -> None:
    subject = _subject("3")
    with pytest.raises(TypeError, match="one model"):
        insert_rows([_record(subject, coordinator, "a"), subject])
    with pytest.raises(ValueError, match="exactly one row"):
        insert_rows([_record(subject, coordinator, "b"), _record(subject, coordinator, "c")], returning=True)
    assert not FormRecord.objects.filter(subject=subject).exists()
