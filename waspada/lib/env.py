"""Typed readers for environment variables.

Settings come from the environment (twelve-factor). A bad value fails loudly at start-up,
naming the variable, instead of surfacing later as a strange behaviour. Any variable can
instead be read from a file named by ``NAME_FILE`` (Docker/systemd secrets).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class ConfigError(Exception):
    """A setting in the environment has a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


def _raw(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    if name in env:
        return env[name]
    file_name = env.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE={file_name}: berkas tidak dapat dibaca ({exc.strerror})") from exc
    return None


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_optional_str(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    value = _raw(name, environ)
    return value or None


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r}: harus true/false (1/0, yes/no)")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r}: harus bilangan bulat") from exc
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name}={number}: paling kecil {minimum}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name}={number}: paling besar {maximum}")
    return number


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path, *, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    return default if not value else Path(value).expanduser()


# A span of time as people write a deadline: "1 jam", "30 menit", "3 hari kerja".
DEADLINE_UNITS = {"menit": "menit", "jam": "jam", "hari kerja": "hari_kerja", "hari_kerja": "hari_kerja"}


def env_deadline(
    name: str, default: tuple[int, str], *, environ: Mapping[str, str] | None = None
) -> tuple[int, str]:
    """``(amount, unit)`` from a value such as ``4 jam`` or ``1 hari kerja``; unit is "menit",
    "jam" or "hari_kerja" (working days in WITA, counted by response/calendar.py)."""
    value = _raw(name, environ)
    if value is None or not value.strip():
        return default
    amount, _sep, unit = value.strip().partition(" ")
    unit = " ".join(unit.lower().split())
    try:
        number = int(amount)
    except ValueError:
        number = 0
    if number < 1 or unit not in DEADLINE_UNITS:
        raise ConfigError(f"{name}={value!r}: tulis mis. '30 menit', '4 jam' atau '3 hari kerja'")
    return number, DEADLINE_UNITS[unit]
