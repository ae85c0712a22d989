from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    name = "waspada.response"
    label = "response"
    verbose_name = _("Tindak lanjut")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from waspada.response import tasks  # noqa: F401 - registers the periodic sweep
