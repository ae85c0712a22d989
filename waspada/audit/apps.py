from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "waspada.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from waspada.audit import checks  # noqa: F401  (registers the system checks)
