"""The rules for a new password: long, not common, not the email address, nothing else."""

from __future__ import annotations

from importlib import resources

import pytest

from portal.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    hash_password,
    is_common_password,
    password_problem,
    verify_password,
)


@pytest.mark.parametrize(
    "password",
    [
        "violet harbour pencil lantern",
        "tulip-ferry-oboe-crater",
        "ALL CAPS PASSPHRASE HERE",
        "lowercase only and no digits",
        "ünïcödé wörds are fine tôo",
        "x" * 3 + "yz12345678901234",
    ],
)
def test_long_uncommon_passwords_are_accepted_without_composition_rules(password: str) -> None:
    assert password_problem(password, "sam@example.org") is None


def test_fewer_than_15_characters_is_refused_with_the_three_words_hint() -> None:
    problem = password_problem("fourteen chars")
    assert problem is not None
    assert "at least 15 characters" in problem
    assert "Use three random words, for example" in problem
    assert len("gravel tide fox") == 15
    assert password_problem("gravel tide fox") is None


@pytest.mark.parametrize(
    "password",
    [
        "passwordpassword",
        "iloveyouiloveyou",
        "123456789012345",
        "Password Password",
        "I LOVE YOU I LOVE YOU",
        "correct horse battery staple",
        "Kettle Orbit Marmalade",  # the example in our own hint
        "qwertyuiopasdfgh",
        "aaaaaaaaaaaaaaaaaaaa",
        "abababababababababab",
    ],
)
def test_common_passwords_and_patterns_are_refused(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and "too easy to guess" in problem


def test_a_password_containing_the_email_address_is_refused() -> None:
    problem = password_problem("my address is Sam.Jones@Example.org", "sam.jones@example.org")
    assert problem is not None and "must not include your email address" in problem
    assert password_problem("sam.jones and a long tail", "sam.jones@example.org") is not None
    # A short local part is too likely to be an ordinary word to refuse.
    assert password_problem("a sam wise old passphrase", "sam@example.org") is None


def test_over_1000_characters_is_refused_clearly_and_1000_is_accepted() -> None:
    words = "quiet river lantern "
    exact = (words * 60)[:MAX_PASSWORD_LENGTH]
    assert password_problem(exact) is None
    problem = password_problem(exact + "x")
    assert problem == "Your password must be 1,000 characters or fewer."


def test_the_whole_password_is_hashed_nothing_is_cut_off() -> None:
    password = "a" * 500 + " distinct ending words"
    hashed = hash_password(password)
    assert verify_password(hashed, password)
    assert not verify_password(hashed, "a" * 500 + " different ending words")


def test_the_shipped_list_is_lower_case_and_long_enough() -> None:
    text = resources.files("portal.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) >= 300
    assert all(line == line.lower() for line in lines)
    for long_one in ("passwordpassword", "iloveyouiloveyou", "123456789012345"):
        assert long_one in lines
    assert is_common_password("PasswordPassword")
