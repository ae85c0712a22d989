from django.urls import path

from waspada.chat import whatsapp_webhook

app_name = "chat"

urlpatterns = [
    # The WhatsApp Cloud API's webhook: signed by the platform, no login (chat/whatsapp_webhook.py).
    path("whatsapp/webhook/", whatsapp_webhook.webhook, name="whatsapp-webhook"),
]
