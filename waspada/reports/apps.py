from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "waspada.reports"
    label = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from waspada.reports import tasks  # noqa: F401 - registers the late-verification sweep
