from django.urls import path

from waspada.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("baca/", views.read, name="read"),
    # A notification opened from the centre: marked read, then its page.
    path("buka/<int:pk>/", views.open_notification, name="open"),
    path("pengaturan/", views.settings_page, name="settings"),
    path("pengiriman-gagal/", views.failed, name="failed"),
    path("tautan/", views.links, name="links"),
]
