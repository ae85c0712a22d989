from django.urls import path

from waspada.reports import files, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("baru/", views.new_report, name="new"),
    path("verifikasi/", views.verification_queue, name="queue"),
    path("insiden/", views.incident_list, name="incidents"),
    path("insiden/<str:reference>/", views.incident_detail, name="incident"),
    path("<str:reference>/", views.report_detail, name="detail"),
    path("<str:reference>/triase/", views.triage, name="triage"),
    path("<str:reference>/pratinjau-disposisi/", views.routing_preview, name="routing_preview"),
    path("<str:reference>/informan/", views.reveal_informant, name="reveal"),
    path("<str:reference>/lampiran/<int:pk>/", files.attachment, name="attachment"),
    path("<str:reference>/lampiran/<int:pk>/kecil/", files.attachment_thumbnail, name="attachment-thumbnail"),
]
