"""TOTP recovery codes: shown once, stored as digests, each usable once, replaced with the password.

The expectations come from the issue and from NIST SP 800-63B §5.1.2 (look-up secrets),
not from the module under test: Crockford's base32 alphabet is written out here from
https://www.crockford.com/base32.html, and the 112-bit threshold is NIST's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pyotp
import pytest
from django.core.cache import cache

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, RecoveryCode
from oncotrial.services import clock
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.recovery_codes import do_regenerate_recovery_codes
from oncotrial.services.sign_in import MAX_FAILURES, SignInError, check_sign_in
from oncotrial.services.two_factor import do_begin_totp, do_confirm_totp
from support.web import PASSWORD, set_password

pytestmark = pytest.mark.django_db

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MOMENT = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    cache.clear()
    with clock.frozen_clock(MOMENT):
        yield


@pytest.fixture
def enrolled_user(coordinator: Any) -> tuple[Any, tuple[str, ...]]:
    """The coordinator with a known password, TOTP turned on, and the recovery codes shown once."""
    set_password(coordinator)
    enrolment = do_begin_totp(AuditContext(coordinator))
    codes = do_confirm_totp(AuditContext(coordinator), pyotp.TOTP(enrolment.secret).at(MOMENT))
    return coordinator, codes


def _sign_in(user: Any, code: str, ip: str = "10.0.0.1") -> Any:
    return check_sign_in(user.username, PASSWORD, client_ip=ip, code=code)


def _audit_text() -> str:
    rows = AuditEvent.objects.values("action", "field", "old", "new", "reason", "entity_id")
    return json.dumps(list(rows), default=str)


def test_turning_totp_on_issues_ten_distinct_codes_of_at_least_112_bits(
    enrolled_user: tuple[Any, tuple[str, ...]],
) -> None:
    user, codes = enrolled_user
    assert len(codes) == 10 == len(set(codes))
    for code in codes:
        symbols = code.replace("-", "")
        assert set(symbols) <= set(CROCKFORD), code
        assert len(CROCKFORD) ** len(symbols) >= 2**112  # NIST SP 800-63B §5.1.2.2: plain hash allowed
    assert RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).count() == 10


def test_only_digests_are_stored_and_the_audit_never_holds_a_code(
    enrolled_user: tuple[Any, tuple[str, ...]],
) -> None:
    user, codes = enrolled_user
    stored = list(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert all(len(d) == 64 for d in stored)
    for code in codes:
        for form in (code, code.replace("-", "")):
            assert all(form not in d for d in stored)
    _sign_in(user, codes[0])
    text = _audit_text()
    assert not [c for c in codes if c in text or c.replace("-", "") in text]
    actions = list(AuditEvent.objects.filter(entity="user").values_list("action", flat=True))
    assert actions.count("issue_recovery_codes") == 1
    assert actions.count("use_recovery_code") == 1


def test_a_recovery_code_signs_in_once_and_never_again(enrolled_user: tuple[Any, tuple[str, ...]]) -> None:
    user, codes = enrolled_user
    assert _sign_in(user, codes[3]).pk == user.pk
    with pytest.raises(SignInError) as replay:
        _sign_in(user, codes[3])
    assert replay.value.needs_code
    assert RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).count() == 9
    used = AuditEvent.objects.get(action="use_recovery_code")
    assert (used.actor_id, used.old, used.new) == (user.pk, {"unused": 10}, {"unused": 9})


def test_a_code_typed_in_lower_case_without_hyphens_or_with_o_for_zero_is_accepted(
    enrolled_user: tuple[Any, tuple[str, ...]],
) -> None:
    user, codes = enrolled_user
    typed = codes[0].replace("-", "").lower().replace("0", "o").replace("1", "l")
    assert _sign_in(user, f"  {typed[:12]} {typed[12:]} ").pk == user.pk


@pytest.mark.parametrize(
    "wrong",
    ["", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01", "not a code", "0000-0000-0000-0000-0000-000U", "123456"],
)
def test_a_wrong_or_malformed_code_is_refused_and_spends_nothing(
    enrolled_user: tuple[Any, tuple[str, ...]], wrong: str
) -> None:
    user, _ = enrolled_user
    with pytest.raises(SignInError):
        _sign_in(user, wrong)
    assert RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).count() == 10
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


def test_a_code_of_another_user_is_refused(
    enrolled_user: tuple[Any, tuple[str, ...]], make_user: Any
) -> None:
    _, codes = enrolled_user
    other = set_password(make_user("investigator", "SYSUCC"))
    enrolment = do_begin_totp(AuditContext(other))
    do_confirm_totp(AuditContext(other), pyotp.TOTP(enrolment.secret).at(MOMENT))
    with pytest.raises(SignInError):
        _sign_in(other, codes[0])


def test_throttling_still_applies_to_recovery_codes(enrolled_user: tuple[Any, tuple[str, ...]]) -> None:
    user, codes = enrolled_user
    for i in range(MAX_FAILURES):
        with pytest.raises(SignInError) as refused:
            _sign_in(user, f"WRNG-CODE-0000-0000-0000-000{i}")
        assert not refused.value.locked
    with pytest.raises(SignInError) as locked:
        _sign_in(user, codes[0])
    assert locked.value.locked
    assert RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).count() == 10


def test_regenerating_invalidates_every_unused_old_code(enrolled_user: tuple[Any, tuple[str, ...]]) -> None:
    user, old = enrolled_user
    _sign_in(user, old[0])
    new = do_regenerate_recovery_codes(AuditContext(user), password=PASSWORD)
    assert len(new) == 10 and not set(new) & set(old)
    for code in old[1:3]:
        with pytest.raises(SignInError):
            _sign_in(user, code)
    assert _sign_in(user, new[0]).pk == user.pk
    row = AuditEvent.objects.get(action="regenerate_recovery_codes")
    assert (row.old, row.new) == ({"unused": 9}, {"unused": 10})
    assert RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).count() == 9


def test_regenerating_needs_the_password_and_is_throttled_and_audited(
    enrolled_user: tuple[Any, tuple[str, ...]],
) -> None:
    user, old = enrolled_user
    for _ in range(5):
        with pytest.raises(PermissionDenied) as wrong:
            do_regenerate_recovery_codes(AuditContext(user), password="not my password")
        assert wrong.value.field == "password"
    with pytest.raises(PermissionDenied) as throttled:
        do_regenerate_recovery_codes(AuditContext(user), password=PASSWORD)
    assert "too many" in str(throttled.value)
    refusals = AuditEvent.objects.filter(action="regenerate_recovery_codes_refused")
    assert refusals.count() == 6
    assert not AuditEvent.objects.filter(action="regenerate_recovery_codes").exists()
    assert _sign_in(user, old[0]).pk == user.pk  # the old codes still work


def test_no_recovery_codes_without_the_second_factor(coordinator: Any) -> None:
    set_password(coordinator)
    with pytest.raises(DomainError) as refused:
        do_regenerate_recovery_codes(AuditContext(coordinator), password=PASSWORD)
    assert refused.value.field == "totp_enabled"
    assert not RecoveryCode.objects.exists()


def test_confirming_twice_is_refused_and_issues_no_second_set(
    enrolled_user: tuple[Any, tuple[str, ...]],
) -> None:
    user, _ = enrolled_user
    user.refresh_from_db()
    with pytest.raises(DomainError):
        do_confirm_totp(AuditContext(user), pyotp.TOTP(user.totp_secret).at(MOMENT))
    assert RecoveryCode.objects.filter(user=user).count() == 10
