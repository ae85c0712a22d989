from django.urls import path

from waspada.core import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sehat/", health.health, name="health"),
]
