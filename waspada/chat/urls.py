from django.urls import path

from waspada.chat import sms_webhook, whatsapp_webhook

app_name = "chat"

urlpatterns = [
    # The WhatsApp Cloud API's webhook: signed by the platform, no login (chat/whatsapp_webhook.py).
    path("whatsapp/webhook/", whatsapp_webhook.webhook, name="whatsapp-webhook"),
    # SMS gateways' webhooks: signed (Android) or with a token (aggregator), no login (chat/sms_webhook.py).
    path("sms/android/", sms_webhook.android_webhook, name="sms-android-webhook"),
    path("sms/http/", sms_webhook.http_webhook, name="sms-http-webhook"),
]
