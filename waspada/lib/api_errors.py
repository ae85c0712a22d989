"""The one error body of the REST API, shared by every app's router (regions below reports too).

``{"detail": ..., "errors": [{"field", "code", "message"}]}``, messages in Indonesian (waspada/api.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = Field(default_factory=list)


def too_large_body() -> dict[str, Any]:
    """The 413 of a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: from the API's handler, or from the
    site's 400 handler when Django refused the body before the API saw it (core/errors.py)."""
    megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}".replace(".", ",")
    return {
        "detail": "Permintaan terlalu besar.",
        "errors": [
            {
                "field": "body",
                "code": "too_large",
                "message": f"Badan permintaan paling besar {megabytes} MB; kirim foto sebagai lampiran.",
            }
        ],
    }
