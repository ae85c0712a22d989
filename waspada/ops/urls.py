from django.urls import path

from waspada.ops import health

urlpatterns = [
    path("sehat/", health.health, name="health"),
]
