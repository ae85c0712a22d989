"""Encryption at rest for informants' identities.

Keys come from ``WASPADA_ENCRYPTION_KEY`` (Fernet keys, comma-separated: the first encrypts,
all decrypt, so a key can be rotated). Without it, a key is generated once into the data folder,
which suits the demo; production keeps the key outside the database and outside backups.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from waspada.lib.env import ConfigError, env_list


class DecryptionError(Exception):
    """The ciphertext was made with a key this installation no longer has, or was altered."""


@cache
def _fernet() -> MultiFernet:
    keys = env_list("WASPADA_ENCRYPTION_KEY", [])
    if not keys:
        key_file = settings.DATA_DIR / "encryption_key"
        if not key_file.exists():
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_bytes(Fernet.generate_key())
            key_file.chmod(0o600)
        keys = [key_file.read_text(encoding="ascii").strip()]
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except ValueError as exc:
        raise ConfigError("WASPADA_ENCRYPTION_KEY: bukan kunci Fernet yang sah (32 byte, base64)") from exc


def encrypt(plaintext: str) -> str:
    if plaintext == "":
        return ""
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    if ciphertext == "":
        return ""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("data terenkripsi tidak dapat dibuka dengan kunci yang ada") from exc
