from django.contrib import admin
from django.urls import include, path

from waspada.api import api
from waspada.people.views import switch_language
from waspada.reports.views import service_worker

urlpatterns = [
    path("", include("waspada.web.urls")),
    path("", include("waspada.core.urls")),
    path("", include("waspada.ops.urls")),
    path("akun/", include("waspada.people.urls")),
    path("laporan/", include("waspada.reports.urls")),
    path("tindak-lanjut/", include("waspada.response.urls")),
    path("notifikasi/", include("waspada.notify.urls")),
    path("obrolan/", include("waspada.chat.urls")),
    path("deteksi/", include("waspada.detection.urls")),
    path("situasi/", include("waspada.situation.urls")),
    path("ringkasan/", include("waspada.briefs.urls")),
    path("pertukaran/", include("waspada.exchange.urls")),
    path("sw.js", service_worker, name="service-worker"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/setlang/", switch_language, name="set_language"),
]

# In the site's shell and the reader's language; JSON under /api/ (core/errors.py).
handler400 = "waspada.core.errors.bad_request"
handler403 = "waspada.core.errors.forbidden"
handler404 = "waspada.core.errors.not_found"
handler500 = "waspada.core.errors.server_error"
