"""Kesbangpol edits routing rules, deadlines and regional days off here, without code.

Days off are scoped: each regency's administrator manages its own (see ``DayOffAdmin``).

Every save and delete is recorded in the audit trail in the same transaction. Dispositions are
shown read-only: they change through the response pages and API, which keep the timeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from waspada.audit.actions import diff, record, snapshot
from waspada.forums.models import ForumKind
from waspada.lib.requests import person_of
from waspada.regions.models import Level, Region
from waspada.response.actions import days_off_managed_q, delete_day_off, manages_days_off, save_day_off
from waspada.response.models import DayOff, DeadlinePolicy, Disposition, RoutingRule, forum_kind_names

if TYPE_CHECKING:
    from waspada.people.models import Person


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


class RoutingRuleForm(forms.ModelForm):
    """The forum kinds as boxes to tick, not JSON to type: a typed ``-1`` or ``"x"`` was stored
    as the rule's kinds (or a 500 when the page was drawn again)."""

    act_kinds = forms.MultipleChoiceField(
        label=_("forum perlu tindakan"),
        choices=ForumKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    info_kinds = forms.MultipleChoiceField(
        label=_("forum tembusan"),
        choices=ForumKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RoutingRule
        fields = ("isu", "min_alert_level", "region_scope", "act_kinds", "info_kinds", "is_active", "note")


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    form = RoutingRuleForm
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


INSTALLATION_WIDE = _("Wilayah wajib diisi: hari libur seluruh instalasi hanya diatur superuser.")
OUTSIDE = _("Wilayah: pilih kabupaten/kota atau provinsi yang hari liburnya Anda atur.")


class DayOffForm(forms.ModelForm):
    """The region offered is one the person manages; only a superuser may leave it empty (a day
    off of the whole installation)."""

    person: Person | None = None

    class Meta:
        model = DayOff
        fields = ("date", "name", "region")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("region")
        if not isinstance(field, forms.ModelChoiceField) or self.person is None:
            return
        field.error_messages["invalid_choice"] = OUTSIDE
        field.queryset = Region.objects.filter(level__in=[Level.PROVINSI, Level.KABUPATEN]).filter(
            days_off_managed_q(self.person, "")
        )
        if not self.person.is_superuser:
            field.required = True
            field.error_messages["required"] = INSTALLATION_WIDE
            field.empty_label = None
            field.help_text = _("Kabupaten/kota atau provinsi yang libur.")

    def clean_region(self) -> Region | None:
        region: Region | None = self.cleaned_data.get("region")
        if self.person is not None and not manages_days_off(self.person, region.code if region else None):
            if region is None:
                raise ValidationError(INSTALLATION_WIDE)
            raise ValidationError(OUTSIDE)
        return region


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    """Each regency's Kesbangpol administrator sees and manages its own days off (and the
    province's administrator the province's); the installation-wide ones (no region) are the
    superusers'. Saves and deletions go through ``waspada.response.actions``."""

    form = DayOffForm
    list_display = ("date", "name", "region_label")
    list_filter = (("region", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("region",)

    @admin.display(description=_("wilayah"), ordering="region")
    def region_label(self, obj: DayOff) -> str:
        return obj.region.name if obj.region is not None else str(_("Seluruh instalasi"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[DayOff]:
        return super().get_queryset(request).filter(days_off_managed_q(person_of(request)))

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Another region's day off is found, then refused by the permissions on the object (403),
        # rather than reported missing.
        queryset = self.model._default_manager.all()
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def _manages(self, request: HttpRequest, obj: DayOff | None) -> bool:
        return obj is None or manages_days_off(person_of(request), obj.region_id)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._manages(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._manages(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._manages(request, obj)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"person": person_of(request)})

    def save_model(self, request: HttpRequest, obj: DayOff, form: Any, change: bool) -> None:
        save_day_off(day_off=obj, by=person_of(request), request=request)

    def delete_model(self, request: HttpRequest, obj: DayOff) -> None:
        delete_day_off(day_off=obj, by=person_of(request), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DayOff]) -> None:
        for obj in queryset:
            delete_day_off(day_off=obj, by=person_of(request), request=request)


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
