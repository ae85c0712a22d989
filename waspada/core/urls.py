from django.urls import path

from waspada.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
