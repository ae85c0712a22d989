from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations, the top layer: demo, backup and restore, deployment checks, /sehat/, serve.

    It may import every app; no app imports it (the import contracts in pyproject.toml say so).
    """

    name = "waspada.ops"
    label = "ops"
    verbose_name = _("Operasi")

    def ready(self) -> None:
        from waspada.ops import checks  # noqa: F401  (registers the deployment checks)
