"""What a form would derive if saved now: the live preview of data entry (nothing is written).

The tumour assessment page shows, while lesions are typed, the RECIST 1.1 and mRECIST
time-point response core would derive (Eisenhauer et al., Eur J Cancer 2009;45:228–247;
Lencioni & Llovet, Semin Liver Dis 2010;30:52–60). The preview runs exactly the
validation, edit checks and derivation of a save (:func:`oncotrial.services.crf.evaluate`),
over the subject's other records, so it can never disagree with what the save stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import FormRecord, Subject, Visit
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import evaluate, form_spec
from oncotrial.services.forms import FieldError
from oncotrial.services.forms.context import FormContext
from oncotrial.services.permissions import Action


@dataclass(frozen=True, slots=True)
class Preview:
    """The derived values of ``data`` (empty while ``errors`` stand), and the soft-check warnings."""

    form_code: str
    derived: dict[str, Any]
    errors: list[FieldError]
    warnings: list[FieldError]


def check_form_preview(
    ctx: AuditContext,
    subject: Subject,
    form_code: str,
    data: Mapping[str, object],
    *,
    visit: Visit | None = None,
    record: FormRecord | None = None,
) -> Preview:
    """Validate and derive ``data`` as :func:`~oncotrial.services.crf.do_save_form` would; no write.

    Needs ``ENTER_DATA`` at the subject's site (it is part of data entry). ``visit`` and
    ``record`` (an edit) must belong to ``subject``; ``record`` is left out of the history,
    as an edit replaces it.
    """
    permitted(ctx, Action.ENTER_DATA, subject.site)
    spec = form_spec(form_code)
    if visit is not None and visit.subject_id != subject.pk:
        raise DomainError("visit", visit.pk, f"a visit of subject {subject.subject_id}")
    if record is not None and (record.subject_id != subject.pk or record.form_code != spec.code):
        raise DomainError("record", record.pk, f"a {spec.code} record of subject {subject.subject_id}")
    if record is not None:
        visit = record.visit
    context = FormContext(subject, spec.code, visit=visit, record=record, today=clock.today())
    result = evaluate(spec, context, data)
    return Preview(spec.code, result.derived, list(result.errors), [w for _, w in result.warnings])
