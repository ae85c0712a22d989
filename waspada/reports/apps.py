from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "waspada.reports"
    label = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from waspada.forums.access import note_access_change
        from waspada.reports import tasks  # noqa: F401 - registers the late-verification sweep
        from waspada.reports.models import Incident, IncidentShare, Report

        # what is shared with a forum is part of a kept ``Access`` (forums/access.py)
        m2m_changed.connect(
            note_access_change, sender=Report.shared_with.through, dispatch_uid="access-shared"
        )
        post_save.connect(note_access_change, sender=IncidentShare, dispatch_uid="access-share-save")
        post_delete.connect(note_access_change, sender=IncidentShare, dispatch_uid="access-share-delete")
        # an incident written outside the actions: the dashboard's kept latest incidents
        post_save.connect(note_access_change, sender=Incident, dispatch_uid="access-incident-save")
        post_delete.connect(note_access_change, sender=Incident, dispatch_uid="access-incident-delete")
