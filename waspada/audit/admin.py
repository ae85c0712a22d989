"""The audit trail in Django admin: searchable and filterable, never editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from waspada.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: no add, change or delete, and no bulk actions.

    Viewing needs the ``audit.view_auditentry`` permission (or superuser), which keeps the
    trail, including who looked at which informant, to the people meant to audit it.
    """

    list_display = [
        "id",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "channel",
        "source_ip",
    ]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "object_type",
        "channel",
        "occurred_at",
    ]
    search_fields = ["action", "object_type", "object_id", "object_repr", "actor_label"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    actions = None
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is slow

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEntry | None = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
