from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "waspada.triage"
    label = "triage"
    verbose_name = _("Triase teks")

    def ready(self) -> None:
        from waspada.triage import tasks  # noqa: F401 - registers the scheduled retraining
