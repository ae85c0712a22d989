from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    """The chat front end beside the web pages and the API: the Matrix and Telegram bots and their
    commands, which call the same actions the pages call. Its tables (chat accounts, link codes,
    rooms, the command log, the bots' state) stay in notify, which delivers to the same rooms."""

    name = "waspada.chat"
    label = "chat"
    verbose_name = _("Obrolan")
