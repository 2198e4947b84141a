"""Database guards of clinical data: one non-repeating form per visit, one visit code per subject,
known record and query states; a save stays a bounded number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oncotrial.persistence.models import FormRecord, Query, Visit
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from support import django_db
from support.clinical import example

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated


def test_a_non_repeating_form_key_is_unique(treated: Any, role_users: dict[str, Any]) -> None:
    saved = do_save_form(AuditContext(role_users["coordinator"]), treated, "death", example("death"))
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        FormRecord.objects.create(
            subject=treated,
            form_code="death",
            unique_key=saved.unique_key,
            data={},
            entered_by=role_users["coordinator"],
            created_at=now,
            updated_at=now,
        )


def test_repeating_forms_have_no_unique_key(treated: Any, role_users: dict[str, Any]) -> None:
    ctx = AuditContext(role_users["coordinator"])
    a = do_save_form(ctx, treated, "conmed", example("conmed"))
    b = do_save_form(ctx, treated, "conmed", example("conmed"))
    assert a.unique_key is None and b.unique_key is None


def test_a_visit_code_is_unique_per_subject(treated: Any) -> None:
    visit = Visit.objects.filter(subject=treated).first()
    assert visit is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(subject=treated, code=visit.code, kind="cycle")


def test_an_unknown_record_status_is_refused(treated: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FormRecord.objects.filter(subject=treated).update(status="approved")


def test_an_unknown_query_status_is_refused(treated: Any, role_users: dict[str, Any]) -> None:
    from oncotrial.services.queries import do_open_query

    record = FormRecord.objects.filter(subject=treated, form_code="vitals").get()
    query = do_open_query(AuditContext(role_users["monitor"]), record, "weight", "check")
    with pytest.raises(IntegrityError), transaction.atomic():
        Query.objects.filter(pk=query.pk).update(status=F("text"))


def test_saving_a_form_takes_a_bounded_number_of_queries(treated: Any, role_users: dict[str, Any]) -> None:
    from django.db import connection

    ctx = AuditContext(role_users["coordinator"])
    for code in ("vitals", "labs", "exposure", "adverse_event"):
        with CaptureQueriesContext(connection) as captured:
            do_save_form(ctx, treated, code, example(code))
        assert len(captured) <= 25, (code, [q["sql"][:80] for q in captured])
