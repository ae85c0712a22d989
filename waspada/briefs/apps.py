from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    name = "waspada.briefs"
    label = "briefs"
    verbose_name = _("Laporan PDF")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from waspada.briefs import tasks  # noqa: F401 - registers the scheduled situation reports
