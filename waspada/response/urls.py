from django.urls import path

from waspada.response import files, views

app_name = "response"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("metrik/", views.response_metrics, name="metrics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/aksi/", views.act, name="act"),
    path("<int:pk>/bukti/<int:proof_pk>/", files.proof, name="proof"),
    path("<int:pk>/bukti/<int:proof_pk>/kecil/", files.proof_thumbnail, name="proof-thumbnail"),
]
