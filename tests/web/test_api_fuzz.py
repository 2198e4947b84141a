"""Schemathesis against ``/api/openapi.json``: generated requests never get a 5xx.

Every operation of the schema is called with property-based inputs (valid and
invalid), as a signed-in research coordinator (session cookie and CSRF token), through
the real WSGI application and database. The check is schemathesis's own
``not_a_server_error``; responses must also match their documented schema.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from oncotrial.services.audit import AuditContext
from oncotrial.services.randomization import check_randomize_subject
from support.subjects import enrolled
from support.web import set_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(settings: Any) -> Any:
    from django.core.wsgi import get_wsgi_application

    from oncotrial.web.api import api

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def coordinator_session(client: Any, coordinator: Any, production_list: Any) -> dict[str, str]:
    enrolled(coordinator, "FUZZ-001")
    randomized = enrolled(coordinator, "FUZZ-002")
    check_randomize_subject(AuditContext(coordinator), randomized, "fuzz-fixture-key")
    set_password(coordinator)
    client.force_login(coordinator)
    client.get("/")  # renders the sign-out form, which sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    assert csrf
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}


def test_generated_api_requests_never_get_a_server_error(
    api_schema: Any, coordinator_session: dict[str, str]
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            response = case.call(headers=coordinator_session)
            assert response.status_code < 500, (
                case.method,
                case.path,
                response.status_code,
                response.text[:500],
            )
            case.validate_response(response, checks=[response_schema_conformance])

        call()
