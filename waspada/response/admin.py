"""Kesbangpol edits routing rules, deadlines and regional days off here, without code.

Every save and delete is recorded in the audit trail in the same transaction. Dispositions are
shown read-only: they change through the response pages and API, which keep the timeline.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from waspada.audit.actions import diff, record, snapshot
from waspada.lib.requests import person_of
from waspada.response.models import DayOff, DeadlinePolicy, Disposition, RoutingRule, forum_kind_names


class AuditedAdmin(admin.ModelAdmin):
    audited_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        label = obj._meta.model_name
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk), self.audited_fields) if change else {}
            super().save_model(request, obj, form, change)
            after = snapshot(obj, self.audited_fields)
            record(
                action=f"{label}.{'changed' if change else 'created'}",
                actor=person_of(request),
                obj=obj,
                changes=diff(before, after) if change else after,
                request=request,
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            record(
                action=f"{obj._meta.model_name}.deleted",
                actor=person_of(request),
                obj=obj,
                changes=snapshot(obj, self.audited_fields),
                request=request,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = (
        "isu",
        "min_alert_level",
        "region_scope",
        "act_forums",
        "info_forums",
        "is_active",
        "note",
    )
    list_filter = ("is_active", "min_alert_level", "isu")
    audited_fields = (
        "isu",
        "min_alert_level",
        "region_scope",
        "act_kinds",
        "info_kinds",
        "is_active",
        "note",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead, so the history of why reports went where stays readable

    @admin.display(description=_("forum perlu tindakan"))
    def act_forums(self, obj: RoutingRule) -> str:
        return forum_kind_names(obj.act_kinds)

    @admin.display(description=_("forum tembusan"))
    def info_forums(self, obj: RoutingRule) -> str:
        return forum_kind_names(obj.info_kinds)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(AuditedAdmin):
    list_display = ("alert_level", "acknowledge_amount", "acknowledge_unit", "close_amount", "close_unit")
    audited_fields = ("alert_level", "acknowledge_amount", "acknowledge_unit", "close_amount", "close_unit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DayOff)
class DayOffAdmin(AuditedAdmin):
    list_display = ("date", "name")
    audited_fields = ("date", "name")


@admin.register(Disposition)
class DispositionAdmin(admin.ModelAdmin):
    list_display = ("report", "forum", "kind", "status", "due_at", "acknowledged_at", "closed_at")
    list_filter = ("status", "kind", "forum")
    search_fields = ("report__reference", "forum__code")
    list_select_related = ("report", "forum")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
