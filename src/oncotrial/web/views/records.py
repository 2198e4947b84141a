"""eCRF pages: new record, record view, edit with reason, SDV, signature, lock, queries.

Each POST calls exactly one service; errors come back next to their fields (422) and
nothing is saved. Records are looked up through the user's visible subjects only.

Two parts of these pages update in place with htmx when the request carries
``HX-Request`` (progressive enhancement; every form also works as a plain POST):

* the query thread of a record page: raising, answering and closing a query returns the
  thread fragment (``_query_thread.html``), 422 with the error next to its input;
* the tumour assessment form: the live RECIST 1.1/mRECIST preview
  (``services.form_preview.check_form_preview``) as lesions are typed; without htmx the
  preview URL answers the whole form page with the preview filled in.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import FormRecord, Query, Visit
from oncotrial.services import queries, record_states
from oncotrial.services.crf import do_save_form, form_spec
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.form_preview import Preview, check_form_preview
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


PREVIEWED_FORMS = frozenset({"tumour_assessment"})
"""Forms whose page shows the live preview of what a save would derive."""


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _vary(response: HttpResponse) -> HttpResponse:
    """The same URL answers a fragment or a page depending on ``HX-Request``: caches must know."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def _form_page(
    request: HttpRequest, spec: FormSpec, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    data = context.pop("data", {})
    context.setdefault("values", data_to_inputs(spec, data))
    context.setdefault("errors", {})
    context.update(spec=spec, tables=table_views(spec, data))
    if spec.code not in PREVIEWED_FORMS:
        return render(request, "oncotrial/crf_form.html", context, status=status)
    subject, record = context["subject"], context.get("record")
    preview_url = f"/subjects/{subject.subject_id}/forms/{spec.code}/preview/"
    context.update(preview_url=preview_url + (f"?record={record.pk}" if record is not None else ""))
    return _vary(render(request, "oncotrial/_crf_form_with_preview.html", context, status=status))


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


@require_POST
def form_preview(request: HttpRequest, subject_id: str, form_code: str) -> HttpResponse:
    """What saving the posted form would derive, without saving (htmx fragment, or the page)."""
    user = acting_user(request)
    subject = subject_for(user, subject_id)
    spec = _spec_or_404(form_code)
    record = None
    record_id = request.GET.get("record", "")
    if record_id:
        record = _record_for(request, int(record_id) if record_id.isdigit() else -1, Action.ENTER_DATA)
    visit = None
    visit_id = request.POST.get("visit", "")
    if visit_id and record is None:
        visit = Visit.objects.filter(subject=subject, pk=visit_id if visit_id.isdigit() else -1).first()
        if visit is None:
            raise Http404("no such visit for this subject")
    data = post_to_data(spec, request.POST)
    try:
        preview = check_form_preview(
            audit_context(request), subject, spec.code, data, visit=visit, record=record
        )
    except DomainError:
        raise Http404("no such record of this form for this subject") from None
    context: dict[str, Any] = {"subject": subject, "visit": record.visit if record is not None else visit}
    context.update(record=record, preview=_preview_view(preview, spec), spec=spec)
    if _is_htmx(request):
        return _vary(render(request, "oncotrial/_response_preview.html", context))
    context.update(values=dict(request.POST.items()), data=data)
    return _form_page(request, spec, context)


def _preview_view(preview: Preview, spec: FormSpec) -> dict[str, Any]:
    """The preview as the fragment shows it: error lines, or the derived responses per criterion."""
    derived = preview.derived
    criteria = [
        {"name": name, **derived[key]}
        for key, name in (("recist_1_1", "RECIST 1.1"), ("mrecist", "mRECIST"))
        if isinstance(derived.get(key), dict)
    ]
    return {
        "errors": [(input_name(e.field, spec), e.message) for e in preview.errors],
        "warnings": [e.message for e in preview.warnings],
        "baseline": derived.get("baseline") is True,
        "baseline_sums": (derived.get("recist_1_1_sum_mm"), derived.get("mrecist_sum_mm")),
        "targets": derived.get("targets"),
        "reason": derived.get("reason", ""),
        "criteria": criteria,
        "source": derived.get("source", ""),
        "empty": not preview.errors and not derived,
    }


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


def _thread_context(
    request: HttpRequest, record: FormRecord, errors: dict[str, str] | None, notice: str = ""
) -> dict[str, Any]:
    spec = _spec_or_404(record.form_code)
    return {
        "record": record,
        "subject": record.subject,
        "spec": spec,
        "rows": _display_rows(spec, record.data),
        "queries": Query.objects.filter(record=record)
        .select_related("opened_by")
        .prefetch_related("messages__author")
        .order_by("opened_at", "id"),
        "errors": errors or {},
        "values": {k: v for k, v in request.POST.items() if k in {"field", "text"}} if errors else {},
        "can": allowed_here(acting_user(request), record.subject.site),
        "notice": notice,
    }


def _detail(
    request: HttpRequest, record: FormRecord, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    context = _thread_context(request, record, errors)
    context.update(
        derived=record.derived,
        dose_rows=_dose_rows(record.derived),
        derived_rows=_derived_rows(record.derived),
    )
    return _vary(render(request, "oncotrial/record_detail.html", context, status=status))


def _thread_or_page(
    request: HttpRequest, record: FormRecord, errors: dict[str, str] | None = None, notice: str = ""
) -> HttpResponse:
    """After a query step: the thread fragment for htmx, else the page (422) or a redirect to it."""
    status = 422 if errors else 200
    if _is_htmx(request):
        context = _thread_context(request, record, errors, notice)
        return _vary(render(request, "oncotrial/_query_thread.html", context, status=status))
    if errors:
        return _detail(request, record, errors, status=status)
    return redirect(f"/records/{record.pk}/#queries")


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
    field = request.POST.get("field", "")
    try:
        queries.do_open_query(audit_context(request), record, field, request.POST.get("text", ""))
    except DomainError as exc:
        return _thread_or_page(request, record, {"query": error_message(exc)})
    return _thread_or_page(request, record, notice=f"Query raised on {field}.")


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
        return _thread_or_page(request, query.record, {f"query-{query.pk}": error_message(exc)})
    done = {"answer": "answered", "close": "closed", "reopen": "reopened"}[step]
    return _thread_or_page(request, query.record, notice=f"Query on {query.field} {done}.")


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
