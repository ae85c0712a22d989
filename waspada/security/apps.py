from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "waspada.security"
    label = "security"
    verbose_name = _("Keamanan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from waspada.security import tasks  # noqa: F401 - registers the retention and pruning jobs
