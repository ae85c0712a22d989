from pathlib import Path

import pytest

from waspada.lib.env import ConfigError, env_bool, env_int, env_list, env_optional_str, env_str


def test_a_missing_variable_falls_back_to_its_default() -> None:
    assert env_str("X", "bawaan", environ={}) == "bawaan"
    assert env_bool("X", True, environ={}) is True
    assert env_int("X", 7, environ={}) == 7
    assert env_list("X", ["a"], environ={}) == ["a"]


def test_booleans_accept_common_spellings_including_indonesian() -> None:
    assert env_bool("X", False, environ={"X": "ya"}) is True
    assert env_bool("X", True, environ={"X": "tidak"}) is False
    assert env_bool("X", False, environ={"X": "On"}) is True


def test_a_bad_boolean_fails_loudly_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="DEBUG='mungkin'"):
        env_bool("DEBUG", False, environ={"DEBUG": "mungkin"})


def test_a_bad_or_out_of_range_integer_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="harus bilangan bulat"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "dua lima"})
    with pytest.raises(ConfigError, match="paling besar 65535"):
        env_int("EMAIL_PORT", 25, maximum=65535, environ={"EMAIL_PORT": "70000"})


def test_lists_are_comma_separated_and_trimmed() -> None:
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": " a.go.id, b.go.id ,,"}) == [
        "a.go.id",
        "b.go.id",
    ]


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("rahasia-dari-berkas\n", encoding="utf-8")
    assert env_optional_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "rahasia-dari-berkas"


def test_an_unreadable_secret_file_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY_FILE"):
        env_optional_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "tidak-ada")})
