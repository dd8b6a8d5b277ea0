"""Authenticator-app codes, checked at moments the test chooses rather than by the system clock."""

from __future__ import annotations

import pyotp

from portal.accounts.two_step import TOTP_STEP_SECONDS, code_matches

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_800_000_000.0  # the start of a 30-second step
STEP = int(NOW // TOTP_STEP_SECONDS)


def code_at(moment: float) -> str:
    return pyotp.TOTP(SECRET).at(moment)


def test_the_code_an_app_shows_now_is_right_for_this_step() -> None:
    assert code_matches(SECRET, code_at(NOW), None, now=NOW) == STEP
    assert code_matches(SECRET, code_at(NOW), None, now=NOW + TOTP_STEP_SECONDS - 1) == STEP


def test_a_phone_clock_one_step_out_is_accepted_but_two_steps_are_not() -> None:
    before, after = NOW - TOTP_STEP_SECONDS, NOW + TOTP_STEP_SECONDS
    assert code_matches(SECRET, code_at(before), None, now=NOW) == STEP - 1
    assert code_matches(SECRET, code_at(after), None, now=NOW) == STEP + 1
    assert code_matches(SECRET, code_at(NOW - 2 * TOTP_STEP_SECONDS), None, now=NOW) == 0
    assert code_matches(SECRET, code_at(NOW + 2 * TOTP_STEP_SECONDS), None, now=NOW) == 0


def test_a_code_is_refused_once_its_step_or_a_later_one_was_used() -> None:
    assert code_matches(SECRET, code_at(NOW), STEP, now=NOW) == 0
    assert code_matches(SECRET, code_at(NOW - TOTP_STEP_SECONDS), STEP, now=NOW) == 0
    assert code_matches(SECRET, code_at(NOW + TOTP_STEP_SECONDS), STEP, now=NOW) == STEP + 1


def test_spaces_and_dashes_are_ignored_and_anything_but_six_digits_is_wrong() -> None:
    code = code_at(NOW)
    assert code_matches(SECRET, f" {code[:3]} {code[3:]} ", None, now=NOW) == STEP
    assert code_matches(SECRET, f"{code[:3]}-{code[3:]}", None, now=NOW) == STEP
    assert code_matches(SECRET, code[:5], None, now=NOW) == 0
    assert code_matches(SECRET, "abcdef", None, now=NOW) == 0
