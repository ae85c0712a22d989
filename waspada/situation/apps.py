from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "waspada.situation"
    label = "situation"
    verbose_name = _("Gambaran situasi")
    default_auto_field = "django.db.models.BigAutoField"
