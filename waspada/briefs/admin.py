"""The Lapsit and its copies in Django admin: to look up, never to
change. A Lapsit's status, nomor and text change only through its flow (``briefs.actions``:
edit, submit, return, approve, release), which checks the right on the regency and keeps the
audit trail; so nothing here adds, changes or deletes, and there are no bulk actions. The
approval records (the audit entries of each Lapsit) are shown on its page, with a link to the
Lapsit's own page in the application, where the flow's buttons are."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from waspada.audit.models import AuditEntry
from waspada.briefs.approval import may_approve, may_draft
from waspada.briefs.models import Brief, Lapsit
from waspada.lib.requests import person_of
from waspada.regions.models import Region


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [field.name for field in self.model._meta.fields]
        fields += [field.name for field in self.model._meta.many_to_many]
        return fields + list(self.readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _own_regencies(request: HttpRequest, queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
    """A superuser sees every regency's; anyone else only the regencies whose Lapsit they may
    draft or approve (the same right as the Lapsit's page)."""
    person = person_of(request)
    if person.is_superuser:
        return queryset
    codes = set(queryset.values_list(field, flat=True).distinct())
    mine = [
        region.code
        for region in Region.objects.filter(code__in=codes)
        if may_draft(person, region) or may_approve(person, region)
    ]
    return queryset.filter(**{f"{field}__in": mine})


class CopyInline(admin.TabularInline):
    model = Brief
    fk_name = "lapsit"
    fields = ("recipient", "created_at", "scheduled", "konsep", "size")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("salinan")
    verbose_name_plural = _("salinan yang dikirim")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Lapsit)
class LapsitAdmin(ReadOnlyAdmin):
    list_display = (
        "period_start",
        "period_end",
        "kind",
        "regency",
        "status",
        "nomor",
        "submitted_at",
        "approved_by",
        "approved_at",
        "released_at",
    )
    list_filter = ("status", "kind", ("regency", admin.RelatedOnlyFieldListFilter), "approved_at")
    search_fields = ("nomor", "regency__name", "analisa", "prakiraan", "saran")
    date_hierarchy = "period_end"
    list_select_related = ("regency", "approved_by")
    readonly_fields = ("flow_page", "approval_records")
    inlines = (CopyInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lapsit]:
        return _own_regencies(request, super().get_queryset(request), "regency")

    @admin.display(description=_("halaman Lapsit"))
    def flow_page(self, obj: Lapsit) -> str:
        url = reverse("briefs:lapsit", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a>', url, _("Buka Lapsit: menulis, mengajukan, mengembalikan, menyetujui")
        )

    @admin.display(description=_("riwayat persetujuan"))
    def approval_records(self, obj: Lapsit) -> str:
        entries = (
            AuditEntry.objects.for_object(obj).filter(action__startswith="lapsit.").order_by("occurred_at")
        )
        if not entries:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {}</li>",
                (
                    (
                        f"{timezone.localtime(e.occurred_at):%Y-%m-%d %H:%M}",
                        e.action,
                        e.actor_label or str(_("sistem")),
                    )
                    for e in entries
                ),
            ),
        )
