from datetime import date

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.registration import (
    Registration,
    RegistrationStatus,
    check_registration,
    protection_end,
)

S = RegistrationStatus
TODAY = date(2026, 11, 25)


def held(status, until=None, partner="华东伙伴", account=1, line=7):
    return Registration(account, line, partner, status, until, registration_id=99)


def decide(existing, partner="西部伙伴", account=1, line=7):
    return check_registration(
        account_id=account, product_line_id=line, partner=partner, existing=existing, today=TODAY
    )


def test_free_when_nothing_is_held():
    assert decide([]).allowed


def test_protected_inside_the_period_names_the_holder():
    decision = decide([held(S.APPROVED, protection_end(date(2026, 9, 1)))])
    assert not decision.allowed
    assert decision.reason == "protected"
    assert decision.holder.partner == "华东伙伴"


def test_last_protected_day_still_counts_and_the_day_after_is_free():
    assert not decide([held(S.APPROVED, TODAY)]).allowed
    assert decide([held(S.APPROVED, date(2026, 11, 24))]).allowed


def test_pending_blocks_rejected_does_not():
    assert decide([held(S.SUBMITTED)]).reason == "pending"
    assert decide([held(S.REJECTED)]).allowed


def test_other_account_or_product_line_is_free():
    assert decide([held(S.APPROVED, TODAY)], account=2).allowed
    assert decide([held(S.APPROVED, TODAY)], line=8).allowed


def test_same_partner_once_at_a_time_whatever_the_spacing():
    decision = decide([held(S.APPROVED, TODAY)], partner=" 华东伙伴 ")
    assert decision.reason == "same_partner"


def test_protection_end_defaults_to_ninety_days():
    assert protection_end(date(2026, 1, 1)) == date(2026, 4, 1)
    with pytest.raises(MethodologyError):
        protection_end(TODAY, 0)


def test_partner_is_required():
    with pytest.raises(MethodologyError):
        decide([], partner="  ")
