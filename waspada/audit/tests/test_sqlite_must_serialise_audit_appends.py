"""The system check that keeps SQLite in the IMMEDIATE transaction mode the chain relies on."""

from waspada.audit.checks import sqlite_errors, sqlite_serialises_appends


def test_the_installation_settings_pass_the_check() -> None:
    assert sqlite_serialises_appends() == []


def test_sqlite_without_immediate_transactions_is_an_error() -> None:
    [error] = sqlite_errors({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x", "OPTIONS": {}}})
    assert error.id == "audit.E001"
    assert sqlite_errors({"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}) == []
