from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "waspada.notify"
    label = "notify"
    verbose_name = _("Notifikasi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from waspada.notify import tasks  # noqa: F401 - the delivery sweep
