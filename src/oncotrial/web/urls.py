"""URL configuration: the HTML pages and the API (``/api/``, schema at ``/api/openapi.json``)."""

from django.urls import URLPattern, URLResolver, path

from oncotrial.web.api import api
from oncotrial.web.views import (
    account,
    allocation_lists,
    auth,
    dashboard,
    exports,
    public,
    records,
    reports,
    subjects,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("", dashboard.home, name="dashboard"),
    path("account/", account.account, name="account"),
    path("account/totp/begin/", account.totp_begin, name="totp-begin"),
    path("account/totp/confirm/", account.totp_confirm, name="totp-confirm"),
    path(
        "account/recovery-codes/",
        account.recovery_codes_regenerate,
        name="recovery-codes-regenerate",
    ),
    path("account/tokens/", account.token_create, name="token-create"),
    path("account/tokens/<int:token_id>/revoke/", account.token_revoke, name="token-revoke"),
    path("subjects/", subjects.subject_list, name="subject-list"),
    path("subjects/<str:subject_id>/", subjects.subject_detail, name="subject-detail"),
    path("subjects/<str:subject_id>/consent/", subjects.consent_new, name="consent-new"),
    path("subjects/<str:subject_id>/randomize/", subjects.randomize, name="randomize"),
    path("subjects/<str:subject_id>/treatment/start/", subjects.treatment_start, name="treatment-start"),
    path("subjects/<str:subject_id>/visits/<int:visit_id>/", subjects.visit_record, name="visit-record"),
    path("subjects/<str:subject_id>/casebook/sign/", subjects.casebook_sign, name="casebook-sign"),
    path("subjects/<str:subject_id>/casebook/lock/", subjects.casebook_lock, name="casebook-lock"),
    path("subjects/<str:subject_id>/casebook/unlock/", subjects.casebook_unlock, name="casebook-unlock"),
    path("screening/new/", subjects.screening_new, name="screening-new"),
    path("subjects/<str:subject_id>/forms/<str:form_code>/new/", records.record_new, name="record-new"),
    path(
        "subjects/<str:subject_id>/forms/<str:form_code>/preview/",
        records.form_preview,
        name="form-preview",
    ),
    path("records/<int:record_id>/", records.record_detail, name="record-detail"),
    path("records/<int:record_id>/edit/", records.record_edit, name="record-edit"),
    path("records/<int:record_id>/queries/", records.query_open, name="query-open"),
    path(
        "records/<int:record_id>/<str:transition>/",
        records.record_transition,
        name="record-transition",
    ),
    path("queries/<int:query_id>/<str:step>/", records.query_step, name="query-step"),
    path("randomization/lists/", allocation_lists.allocation_lists, name="allocation-lists"),
    path(
        "randomization/lists/<int:list_id>/download/",
        allocation_lists.allocation_list_download,
        name="allocation-list-download",
    ),
    path(
        "randomization/lists/<int:list_id>/retire/",
        allocation_lists.allocation_list_retire,
        name="allocation-list-retire",
    ),
    path("report/", reports.report, name="report"),
    path("audit/", reports.audit_trail, name="audit"),
    path("audit/download/<str:fmt>/", reports.audit_download, name="audit-download"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<str:kind>/", exports.export_download, name="export-download"),
    path("api/", api.urls),
    path("trial", public.trial, name="trial"),
    path("healthz", public.healthz, name="healthz"),
    path("static/oncotrial/<str:name>", public.static_asset, name="static-asset"),
]

handler403 = "oncotrial.web.views.errors.forbidden"
handler404 = "oncotrial.web.views.errors.not_found"
handler500 = "oncotrial.web.views.errors.server_error"
