from django.contrib import admin
from django.urls import include, path

from waspada.api import api

urlpatterns = [
    path("", include("waspada.core.urls")),
    path("akun/", include("waspada.people.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
