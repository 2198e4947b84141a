"""Subjects: list, timeline, screening, consent and randomization pages; the casebook.

The casebook section lists the subject's records with their state and signature. An
investigator signs every verified record at once (``do_sign`` on the subject: password
re-entered, the meaning, the signer's name and the time shown before and stored after);
a data manager locks every unlocked record (``do_lock`` on the subject, with a reason).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import (
    Allocation,
    Consent,
    FormRecord,
    RecordStatus,
    Screening,
    Subject,
    TreatmentCourse,
    Visit,
)
from oncotrial.services import clock, record_states
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.forms import forms_for_arm
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.protocol import current_protocol
from oncotrial.services.queries import open_queries
from oncotrial.services.randomization import check_randomize_subject
from oncotrial.services.site_ranges import reference_ranges_document
from oncotrial.services.subjects import check_screen_subject, do_record_consent
from oncotrial.services.timeline import subject_timeline
from oncotrial.services.visibility import subject_for, visible_sites, visible_subjects
from oncotrial.services.visits import do_record_visit, do_start_treatment
from oncotrial.web.screening_form import (
    LESION_ROWS,
    fact_fields,
    input_name_for,
    lab_fields,
    patient_document,
)
from oncotrial.web.views.common import acting_user, allowed_here, audit_context, error_message


@require_GET
def subject_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    subjects = visible_subjects(user).select_related("allocation__slot").order_by("subject_id")
    query = request.GET.get("q", "").strip()
    if query:
        subjects = subjects.filter(subject_id__icontains=query)
    page = Paginator(subjects, 50).get_page(request.GET.get("page"))
    return render(request, "oncotrial/subject_list.html", {"page": page, "q": query})


def _detail_context(request: HttpRequest, subject_id: str) -> dict[str, object]:
    user = acting_user(request)
    subject = subject_for(user, subject_id)
    allocation = Allocation.objects.select_related("slot").filter(subject=subject).first()
    return {
        "subject": subject,
        "allocation": allocation,
        "timeline": subject_timeline(user, subject),
        "latest_screening": Screening.objects.filter(subject=subject).order_by("id").last(),
        "consents": list(Consent.objects.filter(subject=subject)),
        "randomize_key": secrets.token_urlsafe(24),
        "errors": {},
        "values": {},
        "visits": list(Visit.objects.filter(subject=subject).order_by("planned_date", "code")[:200]),
        "treatment": TreatmentCourse.objects.filter(subject=subject).first(),
        "forms": [
            (f.code, f.title, f.visit_bound)
            for f in forms_for_arm(allocation.slot.arm if allocation else None)
        ],
        "can": allowed_here(user, subject.site),
        "open_queries": open_queries(user, subject_id=subject.subject_id).count(),
        **_casebook(subject),
    }


DEFAULT_MEANING = "I have reviewed this casebook and approve its data"


def _casebook(subject: Subject) -> dict[str, object]:
    """The subject's records (without their data) with states and signatures, for the casebook section."""
    records = list(
        FormRecord.objects.filter(subject=subject)
        .select_related("visit")
        .defer("data", "derived")
        .order_by("record_date", "id")
    )
    counts = {status.value: 0 for status in RecordStatus}
    for r in records:
        counts[r.status] = counts.get(r.status, 0) + 1
    signed = [r for r in records if r.signed_at is not None]
    last = max(signed, key=lambda r: (r.signed_at, r.pk)) if signed else None
    return {
        "casebook": records,
        "casebook_counts": counts,
        "last_signature": last,
        "signed_with_last": sum(1 for r in signed if last and r.signed_at == last.signed_at),
        "now": clock.now(),
        "default_meaning": DEFAULT_MEANING,
    }


@require_GET
def subject_detail(request: HttpRequest, subject_id: str) -> HttpResponse:
    return render(request, "oncotrial/subject_detail.html", _detail_context(request, subject_id))


def _detail_with_errors(request: HttpRequest, subject_id: str, errors: dict[str, str]) -> HttpResponse:
    context = _detail_context(request, subject_id) | {"errors": errors, "values": dict(request.POST.items())}
    return render(request, "oncotrial/subject_detail.html", context, status=422)


def _screening_context(
    request: HttpRequest, errors: dict[str, str], values: dict[str, str]
) -> dict[str, object]:
    protocol = current_protocol()
    return {
        "sites": visible_sites(acting_user(request)),
        "facts": fact_fields(protocol),
        "labs": lab_fields(),
        "lesion_rows": range(LESION_ROWS),
        "factors": [f for f in protocol.stratification.factors if f.attribute != "ecog"],
        "errors": errors,
        "values": values,
        "today": date.today().isoformat(),
    }


@require_http_methods(["GET", "POST"])
def screening_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    check_permission(user, Action.SCREEN)
    if request.method == "GET":
        return render(request, "oncotrial/screening_form.html", _screening_context(request, {}, {}))
    values: dict[str, str] = {
        k: str(request.POST.get(k, "")) for k in request.POST if k != "csrfmiddlewaretoken"
    }
    errors: dict[str, str] = {}
    day = None
    try:
        day = date.fromisoformat(values.get("screened_on", ""))
    except ValueError:
        errors["screened_on"] = f"Got {values.get('screened_on', '')!r}; expected a date (YYYY-MM-DD)."
    if not errors:
        document = patient_document(values, current_protocol())
        ranges = reference_ranges_document(str(document.get("site_id", "")))
        if ranges is not None:
            document["reference_ranges"] = ranges
        try:
            screening = check_screen_subject(audit_context(request), document, on=day)
        except DomainError as exc:
            errors[input_name_for(exc.field)] = error_message(exc)
        else:
            return redirect(f"/subjects/{screening.subject.subject_id}/")
    context = _screening_context(request, errors, values)
    return render(request, "oncotrial/screening_form.html", context, status=422)


@require_http_methods(["POST"])
def consent_new(request: HttpRequest, subject_id: str) -> HttpResponse:
    user = acting_user(request)
    subject = subject_for(user, subject_id)
    check_permission(user, Action.RECORD_CONSENT, subject.site)
    errors: dict[str, str] = {}
    try:
        consent_date = date.fromisoformat(request.POST.get("consent_date", ""))
    except ValueError:
        errors["consent_date"] = (
            f"Got {request.POST.get('consent_date', '')!r}; expected a date (YYYY-MM-DD)."
        )
    else:
        try:
            do_record_consent(
                audit_context(request),
                subject,
                version=request.POST.get("version", ""),
                consent_date=consent_date,
            )
        except DomainError as exc:
            errors[exc.field] = error_message(exc)
    if errors:
        return _detail_with_errors(request, subject_id, errors)
    return redirect(f"/subjects/{subject.subject_id}/")


@require_http_methods(["POST"])
def randomize(request: HttpRequest, subject_id: str) -> HttpResponse:
    subject = subject_for(acting_user(request), subject_id)
    try:
        check_randomize_subject(audit_context(request), subject, request.POST.get("idempotency_key", ""))
    except DomainError as exc:
        return _detail_with_errors(request, subject_id, {"randomize": error_message(exc)})
    return redirect(f"/subjects/{subject.subject_id}/")


def _posted_date(request: HttpRequest, name: str) -> date | None:
    try:
        return date.fromisoformat(request.POST.get(name, ""))
    except ValueError:
        return None


@require_http_methods(["POST"])
def treatment_start(request: HttpRequest, subject_id: str) -> HttpResponse:
    user = acting_user(request)
    subject = subject_for(user, subject_id)
    check_permission(user, Action.ENTER_DATA, subject.site)
    start = _posted_date(request, "start_date")
    if start is None:
        bad = request.POST.get("start_date", "")
        return _detail_with_errors(
            request, subject_id, {"start_date": f"Got {bad!r}; expected a date (YYYY-MM-DD)."}
        )
    try:
        do_start_treatment(audit_context(request), subject, start_date=start)
    except DomainError as exc:
        return _detail_with_errors(request, subject_id, {"start_date": error_message(exc)})
    return redirect(f"/subjects/{subject.subject_id}/")


@require_http_methods(["POST"])
def visit_record(request: HttpRequest, subject_id: str, visit_id: int) -> HttpResponse:
    user = acting_user(request)
    subject = subject_for(user, subject_id)
    check_permission(user, Action.ENTER_DATA, subject.site)
    visit = Visit.objects.filter(subject=subject, pk=visit_id).first()
    if visit is None:
        raise Http404("no such visit for this subject")
    on = _posted_date(request, "visit_date")
    key = f"visit-{visit.pk}"
    if on is None:
        bad = request.POST.get("visit_date", "")
        return _detail_with_errors(request, subject_id, {key: f"Got {bad!r}; expected a date (YYYY-MM-DD)."})
    try:
        do_record_visit(audit_context(request, reason=request.POST.get("reason", "")), visit, visit_date=on)
    except DomainError as exc:
        return _detail_with_errors(request, subject_id, {key: error_message(exc)})
    return redirect(f"/subjects/{subject.subject_id}/#visit-{visit.pk}")


def _casebook_refused(request: HttpRequest, subject_id: str, key: str, message: str) -> HttpResponse:
    return _detail_with_errors(request, subject_id, {key: message})


@require_http_methods(["POST"])
def casebook_sign(request: HttpRequest, subject_id: str) -> HttpResponse:
    """Sign every verified record of the subject (investigators; the password re-entered)."""
    subject = subject_for(acting_user(request), subject_id)
    meaning = request.POST.get("meaning", "")
    try:
        signed = record_states.do_sign(
            audit_context(request), subject, password=request.POST.get("password", ""), meaning=meaning
        )
    except DomainError as exc:
        return _casebook_refused(request, subject_id, "casebook_sign", error_message(exc))
    except PermissionDenied as exc:
        if exc.field != "password":
            raise
        message = "The password does not match yours; nothing was signed."
        return _casebook_refused(request, subject_id, "casebook_sign", message)
    if not signed:
        message = "No record of the casebook awaited a signature (none is verified and unsigned)."
        return _casebook_refused(request, subject_id, "casebook_sign", message)
    first = signed[0]
    messages.success(
        request,
        f"Signed {len(signed)} record{'s' if len(signed) != 1 else ''} as {first.signed_name} at "
        f"{first.signed_at:%Y-%m-%d %H:%M:%S} UTC, meaning “{first.signature_meaning}”.",
    )
    return redirect(f"/subjects/{subject.subject_id}/#casebook")


@require_http_methods(["POST"])
def casebook_lock(request: HttpRequest, subject_id: str) -> HttpResponse:
    """Lock every record of the subject not yet locked (data managers), with the reason."""
    subject = subject_for(acting_user(request), subject_id)
    reason = request.POST.get("lock_reason", "")
    try:
        locked = record_states.do_lock(audit_context(request, reason=reason), subject, reason)
    except DomainError as exc:
        return _casebook_refused(request, subject_id, "casebook_lock", error_message(exc))
    if not locked:
        return _casebook_refused(
            request, subject_id, "casebook_lock", "Every record of the casebook is locked already."
        )
    messages.success(request, f"Locked {len(locked)} record{'s' if len(locked) != 1 else ''}.")
    return redirect(f"/subjects/{subject.subject_id}/#casebook")


@require_http_methods(["POST"])
def casebook_unlock(request: HttpRequest, subject_id: str) -> HttpResponse:
    """Unlock every locked record of the subject (data managers), with the reason."""
    subject = subject_for(acting_user(request), subject_id)
    reason = request.POST.get("unlock_reason", "")
    try:
        unlocked = record_states.do_unlock_casebook(audit_context(request, reason=reason), subject, reason)
    except DomainError as exc:
        return _casebook_refused(request, subject_id, "casebook_unlock", error_message(exc))
    if not unlocked:
        message = "No record of the casebook is locked."
        return _casebook_refused(request, subject_id, "casebook_unlock", message)
    count = len(unlocked)
    messages.success(
        request, f"Unlocked {count} record{'s' if count != 1 else ''}: each is back to entered, its SDV and "
        "signature void."
    )
    return redirect(f"/subjects/{subject.subject_id}/#casebook")
