"""Every URL and API endpoint × every role × own/other site: the exact allow/deny matrix.

The expected roles are written out here by hand from the issue's role descriptions
(not computed from ``services.permissions``), so a change of the permission matrix or a
view that forgets its check makes this test fail. "Allowed" means the request reached
the use case (2xx, a redirect after success, or 422 for the deliberately invalid
bodies used here); "denied" means 403, or 404 where a record outside the user's sites
is indistinguishable from a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from oncotrial.persistence.models import Visit
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from oncotrial.services.queries import do_open_query
from oncotrial.services.randomization import check_randomize_subject
from oncotrial.services.visits import do_start_treatment
from support.subjects import enrolled, patient

pytestmark = pytest.mark.django_db

ALL = frozenset(
    {
        "investigator",
        "coordinator",
        "pharmacist",
        "data_manager",
        "monitor",
        "statistician",
        "sponsor_viewer",
        "administrator",
    }
)
SITE_TEAM = frozenset({"investigator", "coordinator"})
READERS = ALL - {"administrator"}
STUDY_WIDE = frozenset({"data_manager", "statistician", "sponsor_viewer", "administrator"})
REPORT_READERS = frozenset({"pharmacist", "data_manager", "monitor", "statistician", "sponsor_viewer"})
AUDITORS = frozenset({"data_manager", "monitor", "statistician", "administrator"})
LIST_KEEPERS = frozenset({"statistician", "administrator"})
EXPORTERS = frozenset({"data_manager", "statistician"})


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    roles: frozenset[str]
    subject_scoped: bool = True
    body: dict[str, Any] | None = None
    json: bool = False
    headers: dict[str, str] | None = None


VITALS = {
    "assessment_date": "2024-03-10",
    "weight": {"value": 63.5, "unit": "kg"},
    "height": {"value": 170, "unit": "cm"},
}

CASES = (
    Case("dashboard", "get", "/", ALL, subject_scoped=False),
    Case("subject-list", "get", "/subjects/", READERS, subject_scoped=False),
    Case("subject-detail", "get", "/subjects/{S}/", READERS),
    Case("consent-new", "post", "/subjects/{S}/consent/", SITE_TEAM, body={}),
    Case(
        "randomize", "post", "/subjects/{S}/randomize/", SITE_TEAM, body={"idempotency_key": "matrix-key-2"}
    ),
    Case("treatment-start", "post", "/subjects/{S}/treatment/start/", SITE_TEAM, body={}),
    Case("visit-record", "post", "/subjects/MATRIX-2/visits/{V}/", SITE_TEAM, body={"visit_date": "x"}),
    Case(
        "casebook-sign",
        "post",
        "/subjects/{S}/casebook/sign/",
        frozenset({"investigator"}),
        body={"password": "x", "meaning": "I approve"},
    ),
    Case(
        "casebook-lock",
        "post",
        "/subjects/{S}/casebook/lock/",
        frozenset({"data_manager"}),
        body={"lock_reason": "matrix lock"},
    ),
    Case(
        "casebook-unlock",
        "post",
        "/subjects/{S}/casebook/unlock/",
        frozenset({"data_manager"}),
        body={"unlock_reason": "matrix unlock"},
    ),
    Case("form-preview", "post", "/subjects/{S}/forms/tumour_assessment/preview/", SITE_TEAM, body={}),
    Case(
        "form-preview-htmx",
        "post",
        "/subjects/{S}/forms/tumour_assessment/preview/",
        SITE_TEAM,
        body={},
        headers={"HX-Request": "true"},
    ),
    Case(
        "query-open-htmx",
        "post",
        "/records/{R}/queries/",
        frozenset({"monitor", "data_manager"}),
        body={"field": "weight", "text": ""},
        headers={"HX-Request": "true"},
    ),
    Case("screening-new", "get", "/screening/new/", SITE_TEAM, subject_scoped=False),
    Case("screening-new-post", "post", "/screening/new/", SITE_TEAM, subject_scoped=False, body={}),
    Case("record-new", "get", "/subjects/{S}/forms/vitals/new/", SITE_TEAM),
    Case("record-new-post", "post", "/subjects/{S}/forms/conmed/new/", SITE_TEAM, body={}),
    Case("record-detail", "get", "/records/{R}/", READERS),
    Case("record-edit", "get", "/records/{R}/edit/", SITE_TEAM),
    Case("record-verify", "post", "/records/{R}/verify/", frozenset({"monitor"})),
    Case("record-sign", "post", "/records/{R}/sign/", frozenset({"investigator"}), body={"password": "x"}),
    Case("record-lock", "post", "/records/{R}/lock/", frozenset({"data_manager"}), body={"reason": "lock"}),
    Case("record-unlock", "post", "/records/{R}/unlock/", frozenset({"data_manager"}), body={"reason": "x"}),
    Case(
        "query-open",
        "post",
        "/records/{R}/queries/",
        frozenset({"monitor", "data_manager"}),
        body={"field": "weight", "text": ""},
    ),
    Case("query-answer", "post", "/queries/{Q}/answer/", SITE_TEAM, body={"text": ""}),
    Case(
        "query-close",
        "post",
        "/queries/{Q}/close/",
        frozenset({"monitor", "data_manager"}),
        body={"text": ""},
    ),
    Case("record-verify-dose", "post", "/records/{R}/verify_dose/", frozenset({"pharmacist"})),
    Case("report", "get", "/report/", REPORT_READERS, subject_scoped=False),
    Case("allocation-lists", "get", "/randomization/lists/", LIST_KEEPERS, subject_scoped=False),
    Case(
        "allocation-list-download",
        "get",
        "/randomization/lists/{L}/download/",
        LIST_KEEPERS,
        subject_scoped=False,
    ),
    Case(
        "allocation-list-retire",
        "post",
        "/randomization/lists/{L}/retire/",
        LIST_KEEPERS,
        subject_scoped=False,
        body={"reason": ""},
    ),
    Case("audit", "get", "/audit/", AUDITORS, subject_scoped=False),
    Case("audit-download", "get", "/audit/download/csv/", AUDITORS, subject_scoped=False),
    Case("exports", "get", "/exports/", EXPORTERS, subject_scoped=False),
    Case("export-download", "get", "/exports/sdtm/", EXPORTERS, subject_scoped=False),
    Case("api-subjects", "get", "/api/subjects", READERS, subject_scoped=False),
    Case("api-subject", "get", "/api/subjects/{S}", READERS),
    Case(
        "api-screen",
        "post",
        "/api/screenings",
        SITE_TEAM,
        json=True,
        body={"screened_on": "2024-03-05", "patient": patient("MATRIX-NEW")},
    ),
    Case(
        "api-consent",
        "post",
        "/api/subjects/{S}/consents",
        SITE_TEAM,
        json=True,
        body={"version": "2.0", "consent_date": "2024-03-06"},
    ),
    Case(
        "api-randomize",
        "post",
        "/api/subjects/{S}/randomization",
        SITE_TEAM,
        headers={"Idempotency-Key": "matrix-api-key"},
    ),
    Case("api-openapi", "get", "/api/openapi.json", ALL, subject_scoped=False),
    Case("api-forms", "get", "/api/forms", ALL, subject_scoped=False),
    Case(
        "api-record-create",
        "post",
        "/api/subjects/{S}/records",
        SITE_TEAM,
        json=True,
        body={"form": "conmed", "data": {}},
    ),
    Case("api-record", "get", "/api/records/{R}", READERS),
    Case("api-record-edit", "put", "/api/records/{R}", SITE_TEAM, json=True, body={"data": {}, "reason": ""}),
)
PUBLIC = ("/trial", "/healthz", "/login/", "/static/oncotrial/oncotrial.css")
NOT_APPLICABLE = {
    "logout",
    "trial",
    "healthz",
    "static-asset",
    "login",
    "account",
    "totp-begin",
    "totp-confirm",
    "recovery-codes-regenerate",
    "token-create",
    "token-revoke",
}
"""URL names outside the matrix: public pages (tested anonymously below), sign-out, and the
signed-in user's own account pages (every role, own data only; tested in test_account.py)."""


@pytest.fixture
def world(make_user: Callable[..., Any], coordinator: Any, production_list: Any) -> dict[str, Any]:
    """A randomized SYSUCC subject with a vitals record carrying an open query."""
    subject = enrolled(coordinator, "MATRIX-1")
    check_randomize_subject(AuditContext(coordinator), subject, "matrix-key-1")
    record = do_save_form(AuditContext(coordinator), subject, "vitals", VITALS)
    other = enrolled(coordinator, "MATRIX-2")
    check_randomize_subject(AuditContext(coordinator), other, "matrix-key-3")
    do_start_treatment(AuditContext(coordinator), other, start_date=timezone.localdate())
    visit = Visit.objects.filter(subject=other).order_by("planned_date").first()
    monitor = make_user("monitor", "SYSUCC", username="matrix-monitor")
    query = do_open_query(AuditContext(monitor), record, "weight", "Please confirm the weight.")
    assert visit is not None
    return {"S": subject.subject_id, "R": record.pk, "Q": query.pk, "V": visit.pk, "L": production_list.pk}


def _request(client: Any, case: Case, ids: dict[str, Any]) -> Any:
    path = case.path.format(**ids)
    call = getattr(client, case.method)
    kwargs: dict[str, Any] = {"headers": case.headers or {}}
    if case.method in {"post", "put"}:
        if case.json:
            kwargs.update(data=case.body or {}, content_type="application/json")
        else:
            kwargs["data"] = case.body or {}
    return call(path, **kwargs)


SCOPES = [(role, "own") for role in sorted(ALL)] + [(role, "other") for role in sorted(ALL - STUDY_WIDE)]


@pytest.mark.parametrize(("role", "scope"), SCOPES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_url_allows_exactly_the_expected_roles_at_their_sites(
    case: Case, role: str, scope: str, world: dict[str, Any], make_user: Callable[..., Any], client: Any
) -> None:
    sites = () if role in STUDY_WIDE else ("SYSUCC" if scope == "own" else "OTHER",)
    user = make_user(role, *sites, username=f"matrix-{role}-{scope}")
    client.force_login(user)
    response = _request(client, case, world)
    allowed = role in case.roles and (scope == "own" or not case.subject_scoped)
    if allowed:
        assert response.status_code in {200, 201, 302, 422}, (case.name, role, scope, response.status_code)
    else:
        assert response.status_code in {403, 404}, (case.name, role, scope, response.status_code)


def _names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= {f"api:{n}" for n in _names(p.url_patterns)} if "api" in str(p.pattern) else set()
        elif p.name:
            names.add(p.name)
    return names


def test_every_page_url_is_in_the_matrix_or_declared_public() -> None:
    page_names = {n for n in _names(get_resolver().url_patterns) if not n.startswith("api:")}
    covered = {c.name.removesuffix("-post").removesuffix("-htmx") for c in CASES} | NOT_APPLICABLE
    covered |= {"record-transition", "query-step"}  # verify/sign/lock/unlock and answer/close cases above
    assert page_names <= covered, page_names - covered


def test_every_api_operation_is_in_the_matrix(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    schema = client.get("/api/openapi.json").json()
    operations = {(m.lower(), p) for p, item in schema["paths"].items() for m in item}
    covered = {
        (c.method, c.path.replace("{S}", "{subject_id}").replace("{R}", "{record_id}"))
        for c in CASES
        if c.path.startswith("/api/")
    }
    assert operations <= covered, operations - covered


@pytest.mark.parametrize("path", PUBLIC)
def test_public_paths_need_no_sign_in(client: Any, path: str) -> None:
    assert client.get(path).status_code == 200
