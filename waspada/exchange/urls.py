from django.urls import path

from waspada.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor/<str:target>.<str:fmt>", views.export, name="export"),
    path("peringatan/", views.alert_list, name="alerts"),
    path("peringatan/baru/", views.alert_new, name="alert_new"),
    path("peringatan/usulan/", views.proposal_list, name="proposals"),
    path("peringatan/usulan/<int:pk>/", views.proposal_detail, name="proposal"),
    path("peringatan/atom.xml", views.atom, name="atom"),
    path("peringatan/<str:identifier>.xml", views.cap_xml, name="cap"),
    path("peringatan/<str:identifier>/", views.alert_detail, name="alert"),
]
