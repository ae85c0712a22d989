from django.urls import path

from waspada.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
