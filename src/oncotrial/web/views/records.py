"""eCRF pages: new record, record view, edit with reason, SDV, signature, lock, queries.

Each POST calls exactly one service; errors come back next to their fields (422) and
nothing is saved. Records are looked up through the user's visible subjects only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import FormRecord, Query, Visit
from oncotrial.services import queries, record_states
from oncotrial.services.crf import do_save_form, form_spec
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.forms import FormErrors, FormSpec
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.visibility import subject_for, visible_subjects
from oncotrial.web.crf_form import data_to_inputs, input_name, post_to_data, table_views
from oncotrial.web.views.common import acting_user, allowed_here, audit_context, error_message


def _record_for(request: HttpRequest, record_id: int, action: Action = Action.VIEW_DATA) -> FormRecord:
    user = acting_user(request)
    subjects = visible_subjects(user)
    found = (
        FormRecord.objects.select_related("subject", "visit")
        .filter(pk=record_id, subject__in=subjects)
        .first()
    )
    if found is None:
        raise Http404("no such record within your sites")
    check_permission(user, action, found.subject.site)
    return found


def _spec_or_404(code: str) -> FormSpec:
    try:
        return form_spec(code)
    except DomainError:
        raise Http404("no such form") from None


def _errors(exc: DomainError, spec: FormSpec) -> dict[str, str]:
    if isinstance(exc, FormErrors):
        return {input_name(e.field, spec): e.message for e in exc.errors}
    return {input_name(exc.field, spec): error_message(exc)}


def _form_page(
    request: HttpRequest, spec: FormSpec, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    data = context.pop("data", {})
    context.setdefault("values", data_to_inputs(spec, data))
    context.setdefault("errors", {})
    context.update(spec=spec, tables=table_views(spec, data))
    return render(request, "oncotrial/crf_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, subject_id: str, form_code: str) -> HttpResponse:
    user = acting_user(request)
    subject = subject_for(user, subject_id)
    check_permission(user, Action.ENTER_DATA, subject.site)
    spec = _spec_or_404(form_code)
    visit = None
    visit_id = request.GET.get("visit") or request.POST.get("visit")
    if visit_id:
        visit = Visit.objects.filter(subject=subject, pk=visit_id if visit_id.isdigit() else -1).first()
        if visit is None:
            raise Http404("no such visit for this subject")
    context: dict[str, Any] = {"subject": subject, "visit": visit, "record": None}
    if request.method == "GET":
        return _form_page(request, spec, context)
    data = post_to_data(spec, request.POST)
    try:
        saved = do_save_form(audit_context(request), subject, spec.code, data, visit=visit)
    except DomainError as exc:
        context.update(values=dict(request.POST.items()), errors=_errors(exc, spec), data=data)
        return _form_page(request, spec, context, status=422)
    return redirect(f"/records/{saved.pk}/")


@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record_for(request, record_id, Action.ENTER_DATA)
    spec = _spec_or_404(record.form_code)
    context: dict[str, Any] = {"subject": record.subject, "visit": record.visit, "record": record}
    if request.method == "GET":
        return _form_page(request, spec, context | {"data": record.data})
    data = post_to_data(spec, request.POST)
    reason = request.POST.get("reason", "")
    version = request.POST.get("version", "")
    try:
        do_save_form(
            audit_context(request, reason=reason),
            record.subject,
            spec.code,
            data,
            record=record,
            expected_version=int(version) if version.isdigit() else None,
        )
    except DomainError as exc:
        context.update(values=dict(request.POST.items()), errors=_errors(exc, spec), data=data)
        return _form_page(request, spec, context, status=422)
    return redirect(f"/records/{record.pk}/")


def _detail(
    request: HttpRequest, record: FormRecord, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    spec = _spec_or_404(record.form_code)
    context = {
        "record": record,
        "subject": record.subject,
        "spec": spec,
        "rows": _display_rows(spec, record.data),
        "derived": record.derived,
        "queries": Query.objects.filter(record=record).prefetch_related("messages").order_by("opened_at"),
        "errors": errors or {},
        "can": allowed_here(acting_user(request), record.subject.site),
        "dose_rows": _dose_rows(record.derived),
        "derived_rows": _derived_rows(record.derived),
    }
    return render(request, "oncotrial/record_detail.html", context, status=status)


def _display_rows(spec: FormSpec, data: dict[str, Any]) -> list[tuple[str, str, Any]]:
    rows = []
    for field in spec.fields:
        value = data.get(field.name)
        if isinstance(value, dict) and "unit" in value:
            shown: Any = f"{value.get('value')} {value.get('unit')}"
        else:
            shown = value
        rows.append((field.name, field.label, shown))
    return rows


@require_http_methods(["GET"])
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    return _detail(request, _record_for(request, record_id))


@require_POST
def record_transition(request: HttpRequest, record_id: int, transition: str) -> HttpResponse:
    record = _record_for(request, record_id)
    ctx = audit_context(request, reason=request.POST.get("reason", ""))
    try:
        if transition == "verify":
            record_states.do_verify(ctx, record)
        elif transition == "verify_dose":
            record_states.do_verify_dose(ctx, record)
        elif transition == "sign":
            record_states.do_sign(
                ctx,
                record,
                password=request.POST.get("password", ""),
                meaning=request.POST.get("meaning", ""),
            )
        elif transition == "lock":
            record_states.do_lock(ctx, record, request.POST.get("reason", ""))
        elif transition == "unlock":
            record_states.do_unlock(ctx, record, request.POST.get("reason", ""))
        else:
            raise Http404("no such transition")
    except DomainError as exc:
        record.refresh_from_db()
        return _detail(request, record, {transition: error_message(exc)}, status=422)
    except PermissionDenied as exc:
        if exc.field != "password":
            raise
        return _detail(
            request, record, {transition: "The password does not match yours; not signed."}, status=422
        )
    return redirect(f"/records/{record.pk}/")


@require_POST
def query_open(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record_for(request, record_id)
    try:
        queries.do_open_query(
            audit_context(request), record, request.POST.get("field", ""), request.POST.get("text", "")
        )
    except DomainError as exc:
        return _detail(request, record, {"query": error_message(exc)}, status=422)
    return redirect(f"/records/{record.pk}/")


@require_POST
def query_step(request: HttpRequest, query_id: int, step: str) -> HttpResponse:
    subjects = visible_subjects(acting_user(request))
    query = Query.objects.select_related("record").filter(pk=query_id, subject__in=subjects).first()
    if query is None:
        raise Http404("no such query within your sites")
    ctx = audit_context(request)
    text = request.POST.get("text", "")
    try:
        if step == "answer":
            queries.do_answer_query(ctx, query, text)
        elif step == "close":
            queries.do_close_query(ctx, query, text)
        elif step == "reopen":
            queries.do_reopen_query(ctx, query, text)
        else:
            raise Http404("no such step")
    except DomainError as exc:
        return _detail(request, query.record, {f"query-{query.pk}": error_message(exc)}, status=422)
    return redirect(f"/records/{query.record.pk}/")


def _dose_rows(derived: dict[str, Any]) -> list[dict[str, Any]]:
    """The core dose decision per drug: action, dose and the rule that decided it, with its source."""
    rows = []
    for drug, info in sorted((derived.get("drugs") or {}).items()):
        rules = info.get("rules") or []
        rows.append(
            {
                "drug": drug,
                "summary": info.get("summary", ""),
                "dose_mg": info.get("prescribed_dose_mg"),
                "rules": [f"{r.get('text', '')} ({r.get('source', '')})" for r in rules],
            }
        )
    return rows


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items() if v not in (None, [], ""))
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def _derived_rows(derived: dict[str, Any]) -> list[tuple[str, str]]:
    """Derived values as readable lines (dose decisions are shown in their own table)."""
    skip = {"drugs", "prescription", "levels_after", "vitals_record", "labs_record"}
    return [
        (key.replace("_", " "), _shown(value))
        for key, value in derived.items()
        if key not in skip and value not in (None, [], {}, "")
    ]
