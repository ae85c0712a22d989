from django.urls import path

from waspada.situation import province_views, views, wall

app_name = "situation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("peta/", views.map_view, name="map"),
    path("laporan/", views.report_list, name="reports"),
    path("insiden/", views.incident_list, name="incidents"),
    path("pencarian/", views.save_search, name="save_search"),
    path("pencarian/<int:pk>/hapus/", views.delete_search, name="delete_search"),
    path("wilayah/<str:code>/", views.region_detail, name="region"),
    path("langsung.json", views.live, name="live"),
    path("provinsi/", province_views.rollup, name="province"),
    path("layar/", wall.wall, name="wall"),
    path("layar/t/<str:token>/", wall.wall_token, name="wall_token"),
    path("layar/isi/", wall.wall_part, name="wall_part"),
    path("layar/token/", wall.tokens, name="wall_tokens"),
    path("layar/token/<int:pk>/cabut/", wall.revoke_token, name="wall_token_revoke"),
]
