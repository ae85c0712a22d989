from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetectionConfig(AppConfig):
    name = "waspada.detection"
    label = "detection"
    verbose_name = _("Deteksi dini")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from waspada.detection import tasks  # noqa: F401 - registers the periodic detection run
