"""Django's admin pages name Waspada's icon: without it every admin page made the browser ask for
``/favicon.ico``, which answers 404."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_admin_pages_name_the_site_icon(client: Client, kesbangpol_admin: Person) -> None:
    client.force_login(kesbangpol_admin)
    for path in ("/admin/", "/admin/forums/forum/"):
        page = client.get(path).content.decode()
        assert 'rel="icon"' in page and "waspada/icons/waspada-192.png" in page, path
