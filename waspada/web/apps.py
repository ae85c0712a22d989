from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Pages of the web front end that gather several apps' work (the home page); beside the API
    and the chat front end, above the domain apps."""

    name = "waspada.web"
    label = "web"
    verbose_name = _("Web")
