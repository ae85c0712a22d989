from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_admin_group(**kwargs: Any) -> None:
    from waspada.people.actions import ensure_kesbangpol_admin_group

    ensure_kesbangpol_admin_group()


class PeopleConfig(AppConfig):
    name = "waspada.people"
    label = "people"
    verbose_name = _("Orang dan akun")

    def ready(self) -> None:
        # The "Admin Kesbangpol" group exists as soon as the database is migrated, so that an
        # administrator can be made from the admin or the shell without any extra step.
        post_migrate.connect(_ensure_admin_group, sender=self, dispatch_uid="people.ensure_admin_group")
