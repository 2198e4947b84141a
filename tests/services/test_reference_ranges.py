"""Site reference ranges: validated by core, audited, and used to grade labs (CTCAE v5.0)."""

from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.reference_ranges import do_set_reference_range
from support import django_db

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated


def test_a_sites_stored_range_replaces_the_screening_documents(
    treated: Any, role_users: dict[str, Any]
) -> None:
    """CTCAE v5.0 neutrophil count decreased grade 1 is <LLN–1.5 ×10⁹/L.

    1.7 is grade 1 under the screening document's LLN 1.8, and grade 0 under the stored LLN 1.6.
    """
    dm = AuditContext(role_users["data_manager"])
    labs = {"collection_date": "2024-03-27", "neut": {"value": 1.7, "unit": "10^9/L"}}
    before = do_save_form(AuditContext(role_users["coordinator"]), treated, "labs", labs)
    assert before.derived["grades"]["neut"]["grade"] == 1
    do_set_reference_range(dm, treated.site, test="NEUT", lln=1.6, uln=6.3, unit="10^9/L")
    after = do_save_form(AuditContext(role_users["coordinator"]), treated, "labs", labs)
    assert after.derived["grades"]["neut"]["grade"] == 0


def test_a_bad_range_or_role_is_refused(treated: Any, role_users: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        do_set_reference_range(
            AuditContext(role_users["data_manager"]),
            treated.site,
            test="NEUT",
            lln=6.3,
            uln=1.8,
            unit="10^9/L",
        )
    with pytest.raises(DomainError):
        do_set_reference_range(
            AuditContext(role_users["data_manager"]), treated.site, test="NEUT", lln=1.8, uln=6.3, unit="mg"
        )
    with pytest.raises(PermissionDenied):
        do_set_reference_range(
            AuditContext(role_users["coordinator"]),
            treated.site,
            test="NEUT",
            lln=1.8,
            uln=6.3,
            unit="10^9/L",
        )
