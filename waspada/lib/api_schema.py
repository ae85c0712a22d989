"""What the REST API's OpenAPI document promises about its input, in one place for every router.

Each request body is a JSON object with exactly the declared fields (``additionalProperties:
false``, unknown fields refused with a 422); each text has a ``maxLength`` (the model field's or the
action's limit) and a ``pattern`` that bans the NUL character, which the API's parser refuses
everywhere with lone surrogates (waspada/api.py, ``NoNulParser``); a text that must say something
has a pattern that also asks for one character that is not a space. Choices are enums of the
taxonomy; times and dates are text in ISO 8601, never a number of seconds.

The patterns are written with ``\\u`` escapes, which ECMA-262, Python and Rust read alike.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, ParamSpec, TypeVar

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

# The character the parser refuses in any text: NUL (PostgreSQL can store no NUL in text). The
# parser also refuses lone surrogates (U+D800 to U+DFFF, ``"\\ud800"`` in JSON), which cannot be
# encoded in UTF-8; the document says so in words (I-JSON, RFC 7493), because a pattern naming them
# is no regular expression to validators that read text as Unicode scalar values (Rust's, Go's).
NO_NUL_PATTERN = r"^[^\u0000]*$"
# What ``str.strip()`` removes, named one by one: ECMA-262's ``\s`` and Python's differ at the edges.
_SPACES = r"\t-\r\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# The same, with at least one character that is not a space (a reason, a title: "   " is empty).
NOT_BLANK_PATTERN = rf"^[^\u0000]*[^\u0000{_SPACES}][^\u0000]*$"

# Free text the models keep in a TextField without a limit of their own (reasons, follow-up notes).
LONG_TEXT = 5000
REFERENCE = 40  # Report.reference, Incident.reference
FORUM_CODE = 40  # Forum.code
REGION_CODE = 13  # Region.code, dotted (64.01.06.2006)
USERNAME = 150  # Django's username
MAX_LIST = 50  # incidents merged or reports split off in one request


def forbidden_character(value: str) -> bool:
    """Whether ``value`` holds a character that no API text may hold (NUL, a lone surrogate)."""
    return any(char == "\x00" or "\ud800" <= char <= "\udfff" for char in value)


P = ParamSpec("P")
R = TypeVar("R")


class InSchema(Schema):
    """A request body: a JSON object with the declared fields and no others."""

    model_config = ConfigDict(extra="forbid")


def text_field(
    default: Any = ...,
    *,
    max_length: int,
    required: bool = False,
    description: str | None = None,
) -> Any:
    """A text field of at most ``max_length`` characters; ``required``: not blank either.

    The length is checked here (pydantic); the patterns state what the parser (NUL, surrogates:
    on every text, added by ``WaspadaApi.get_openapi_schema``) and the action (blank) refuse, each
    with its own message.
    """
    extra: dict[str, Any] | None = {"pattern": NOT_BLANK_PATTERN, "minLength": 1} if required else None
    return Field(default, max_length=max_length, description=description, json_schema_extra=extra)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_text(kind: str) -> Callable[[Any], Any]:
    """A time or a date comes as text in ISO 8601 (2026-11-28...): pydantic would also read a number,
    or text of digits, as seconds since 1970."""

    def check(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value):
            return value
        raise PydanticCustomError(f"{kind}_parsing", "Input should be ISO 8601 text")

    return check


# A time, written as text (``format: date-time``).
When = Annotated[datetime, BeforeValidator(_iso_text("datetime"))]
# A day, written as text (``format: date``).
Day = Annotated[date, BeforeValidator(_iso_text("date"))]

# A row's number in a path (a disposition, an attachment): within the databases' 64-bit integer.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

# A report's or an incident's number (SKD-6401-2026-000001), as a list item.
Reference = Annotated[str, Field(max_length=REFERENCE)]


class Pages(PageNumberPagination):
    """Numbered pages, the number bounded so that no page's offset overflows a database integer,
    the size as ninja clamps it (``NINJA_MAX_PER_PAGE_SIZE``, 100) stated rather than cut silently."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)


def typed(view: Callable[P, R]) -> Callable[P, R]:
    """Resolve a view's annotations in its own module, for a decorator above it (``paginate``)
    whose wrapper ninja reads with the decorator module's names: a choice enum there is unknown."""
    view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    return view
