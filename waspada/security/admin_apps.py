"""Django's admin app with Waspada's site class (INSTALLED_APPS names it instead of django.contrib.admin)."""

from django.contrib.admin.apps import AdminConfig


class WaspadaAdminConfig(AdminConfig):
    """One login page (throttled, two steps) for the admin too: see admin_site.py."""

    default_site = "waspada.security.admin_site.WaspadaAdminSite"
