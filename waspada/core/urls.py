from django.urls import path

from waspada.core import health, offline, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sehat/", health.health, name="health"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("luring/", offline.offline_page, name="offline"),
]
