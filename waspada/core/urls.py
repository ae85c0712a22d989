from django.urls import path

from waspada.core import offline

urlpatterns = [
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("luring/", offline.offline_page, name="offline"),
]
