from django.urls import path

from waspada.briefs import views

app_name = "briefs"

urlpatterns = [
    path("", views.brief_list, name="list"),
    path("rilis/", views.release, name="release"),
    path("provinsi/", views.province, name="province"),
    path("provinsi/kirim/", views.province_send, name="province_send"),
    path("<int:pk>/unduh/", views.download, name="download"),
    path("lapsit/<int:pk>/", views.lapsit, name="lapsit"),
    path("lapsit/<int:pk>/setujui/", views.lapsit_approve, name="lapsit_approve"),
    path("lapsit/<int:pk>/ajukan/", views.lapsit_submit, name="lapsit_submit"),
    path("lapsit/<int:pk>/kembalikan/", views.lapsit_return, name="lapsit_return"),
    path("lapsit/<int:pk>/konsep.pdf", views.lapsit_pdf, name="lapsit_pdf"),
    path("laporan/<str:reference>.pdf", views.report_pdf, name="report"),
    path("insiden/<str:reference>.pdf", views.incident_pdf, name="incident"),
]
