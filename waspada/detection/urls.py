from django.urls import path

from waspada.detection import history_views, views

app_name = "detection"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("tinjau/", views.bulk_review, name="bulk_review"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/tinjau/", views.review, name="review"),
    path("riwayat/", history_views.history_import, name="history"),
]
