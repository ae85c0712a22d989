"""Who may open the situation picture: a person with a current forum seat, or a superuser.

One rule for the pages (``views.seat_required``) and for the menu that links to them
(``templatetags/situation_access.py``), so that nobody is shown a link that answers 403.
"""

from __future__ import annotations

from typing import Any

from waspada.forums.access import access_of


def may_see_situation(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    access = access_of(user)  # the seats this request already read
    return access.active and (access.superuser or bool(access.seats))
