"""The one error body of the REST API, shared by every app's router (regions below reports too).

``{"detail": ..., "errors": [{"field", "code", "message"}]}``, messages in Indonesian (waspada/api.py).
"""

from __future__ import annotations

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = Field(default_factory=list)
