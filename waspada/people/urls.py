"""Account pages under /akun/: log in and out, the second login step, password reset by email,
password change, profile.

The views are Django's own auth views (see ``views.py`` for the small subclasses), under the
standard URL names so that ``LOGIN_URL = "login"`` and the admin's links keep working.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from waspada.people import views

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("dua-langkah/", views.two_factor_verify, name="two_factor_verify"),
    path("dua-langkah/daftar/", views.two_factor_enrol, name="two_factor_enrol"),
    path("dua-langkah/kelola/", views.two_factor_manage, name="two_factor_manage"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("sandi/atur/tautan/", views.password_reset_link, name="password_reset_link"),
    path(
        "sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("sandi/atur/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("sandi/ubah/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/ubah/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("profil/", views.profile, name="profile"),
]
