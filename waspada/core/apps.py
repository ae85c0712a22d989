from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer every app may import: the periodic-job scheduler and the worker, the site's
    shell (base template, CSS, error pages, the installable app's manifest and offline page)."""

    name = "waspada.core"
    label = "core"
    verbose_name = _("Inti")
