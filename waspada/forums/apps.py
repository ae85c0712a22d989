from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "waspada.forums"
    label = "forums"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from waspada.forums.access import note_access_change
        from waspada.forums.models import Forum, Membership

        # a seat or forum written outside the actions (a shell, a test) still counts at once
        for model in (Forum, Membership):
            post_save.connect(note_access_change, sender=model, dispatch_uid=f"access-{model.__name__}-save")
            post_delete.connect(
                note_access_change, sender=model, dispatch_uid=f"access-{model.__name__}-delete"
            )
