from django.urls import path

from waspada.response import views

app_name = "response"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("metrik/", views.response_metrics, name="metrics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/aksi/", views.act, name="act"),
]
