"""Forum and membership administration, for Kesbangpol administrators.

Saves go through ``waspada.forums.actions`` so that the admin obeys the same rules as every
other surface: a forum's jurisdiction matches its level, a person holds one current seat per
forum, seats are ended and forums retired instead of deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waspada.forums.actions import (
    add_membership,
    change_role,
    check_new_membership,
    create_forum,
    end_membership,
    retire_forum,
    update_forum,
)
from waspada.forums.models import Forum, Membership
from waspada.lib.requests import person_of
from waspada.regions.widgets import RegionPickerWidget


def adopt(target: Any, saved: Any) -> None:
    """Make the admin's unsaved ``target`` the row an action saved.

    The admin keeps using its own instance after ``save_model`` (for the redirect, the log
    entry and the inlines' foreign key), while actions build and return their own.
    """
    vars(target).update(vars(saved))


def _form_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach an action's ValidationError to the form, on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class MembershipInlineForm(forms.ModelForm):
    """A seat in an inline: new seats are added, existing ones can change role or end."""

    end = forms.BooleanField(label=_("Akhiri"), required=False)

    class Meta:
        model = Membership
        fields = ["person", "forum", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["end"].disabled = True
            self.fields["end"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            person = cleaned.get("person") or getattr(self.instance, "person", None)
            forum = cleaned.get("forum") or getattr(self.instance, "forum", None)
            role = cleaned.get("role")
            # A forum or person being added on the same page has no seats yet to collide with.
            if person is not None and forum is not None and person.pk and forum.pk and role:
                try:
                    check_new_membership(person=person, forum=forum, role=role)
                except ValidationError as error:
                    _form_errors(self, error)
        return cleaned


class MembershipInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """The same person twice in one forum, in new rows of the same form, is one seat too many."""
        super().clean()
        seen: set[int] = set()
        other = "forum" if self.fk.name == "person" else "person"
        for form in self.forms:
            if form.instance.pk is not None or not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            chosen = form.cleaned_data.get(other)
            if chosen is None:
                continue
            if chosen.pk in seen:
                raise ValidationError(_("Baris keanggotaan yang sama dimasukkan dua kali."))
            seen.add(chosen.pk)


def save_membership_formset(request: HttpRequest, formset: BaseInlineFormSet) -> None:
    """Save an inline of seats through the actions: add, change role, end.

    Sets the formset's ``new_objects``/``changed_objects``/``deleted_objects`` as
    ``formset.save()`` would, because the admin reads them for its history message.
    """
    by = person_of(request)
    parent_field = formset.fk.name  # "forum" on the forum page, "person" on the person page
    other_field = "person" if parent_field == "forum" else "forum"
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() or not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        membership = form.instance
        if membership.pk is None:
            saved = add_membership(
                **{parent_field: formset.instance, other_field: form.cleaned_data[other_field]},
                role=form.cleaned_data["role"],
                by=by,
            )
            adopt(membership, saved)
            formset.new_objects.append(membership)
        elif form.cleaned_data.get("end"):
            adopt(membership, end_membership(membership=membership, by=by))
            formset.changed_objects.append((membership, ["ended_at"]))
        elif "role" in form.changed_data:
            adopt(membership, change_role(membership=membership, role=form.cleaned_data["role"], by=by))
            formset.changed_objects.append((membership, ["role"]))


class CurrentMembershipInline(admin.TabularInline):
    """Current seats only: ended seats are history, listed on the membership pages."""

    model = Membership
    form = MembershipInlineForm
    formset = MembershipInlineFormSet
    extra = 1
    can_delete = False
    readonly_fields = ["started_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).filter(ended_at__isnull=True).select_related("person", "forum")


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the chosen value up as it was sent when it draws a
    refused form again; a value that is no id (typed by hand, or a tampered form) was a 500."""

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> list[Any]:
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class CheckedAutocomplete:
    """Admins with autocomplete fields draw them with ``CheckedAutocompleteSelect``."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        autocomplete = self.get_autocomplete_fields(request)  # type: ignore[attr-defined]
        if "widget" not in kwargs and db_field.name in autocomplete:
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ForumMembershipInline(CheckedAutocomplete, CurrentMembershipInline):
    fk_name = "forum"
    fields = ["person", "role", "started_at", "end"]
    autocomplete_fields = ["person"]
    verbose_name = _("anggota")
    verbose_name_plural = _("anggota saat ini")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and not obj.is_active:
            formset.max_num = 0  # a retired forum takes no new members
        return formset


class PersonMembershipInline(CheckedAutocomplete, CurrentMembershipInline):
    fk_name = "person"
    fields = ["forum", "role", "started_at", "end"]
    autocomplete_fields = ["forum"]
    verbose_name = _("keanggotaan forum")
    verbose_name_plural = _("keanggotaan forum saat ini")


class ForumAdminForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["code", "name", "kind", "level", "jurisdiction", "remit"]
        help_texts = {
            "code": _("Jenis dan kode wilayah tanpa titik, mis. TKD-6401 atau FKDM-640106."),
        }
        widgets = {"jurisdiction": RegionPickerWidget()}


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    form = ForumAdminForm
    list_display = ["code", "name", "kind", "level", "jurisdiction", "is_active", "member_count"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["code", "name", "jurisdiction__name", "jurisdiction__code"]
    list_select_related = ["jurisdiction"]
    readonly_fields = ["is_active", "created_at"]
    fields = ["code", "name", "kind", "level", "jurisdiction", "remit", "is_active", "created_at"]
    inlines = [ForumMembershipInline]
    actions = ["retire_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Forum]:
        return (
            super()
            .get_queryset(request)
            .annotate(current_members=Count("memberships", filter=Q(memberships__ended_at__isnull=True)))
        )

    @admin.display(description=_("anggota"), ordering="current_members")
    def member_count(self, forum: Forum) -> int:
        return int(getattr(forum, "current_members", 0))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # forums are retired, so that reports and seats keep their history

    def save_model(self, request: HttpRequest, obj: Forum, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = create_forum(
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                level=data["level"],
                jurisdiction=data["jurisdiction"],
                remit=data.get("remit", ""),
                by=person_of(request),
            )
        else:
            changed = {name: data[name] for name in form.changed_data if name in ForumAdminForm.Meta.fields}
            saved = update_forum(forum=obj, by=person_of(request), **changed)
        adopt(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        save_membership_formset(request, formset)

    @admin.action(description=_("Nonaktifkan forum terpilih"), permissions=["change"])
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[Forum]) -> None:
        by = person_of(request)
        retired = 0
        for forum in queryset.filter(is_active=True):
            retire_forum(forum=forum, by=by)
            retired += 1
        self.message_user(
            request,
            ngettext("%(count)d forum dinonaktifkan.", "%(count)d forum dinonaktifkan.", retired)
            % {"count": retired},
            messages.SUCCESS,
        )


class MembershipStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("aktif", _("Aktif")), ("berakhir", _("Berakhir"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        if self.value() == "aktif":
            return queryset.filter(ended_at__isnull=True)
        if self.value() == "berakhir":
            return queryset.filter(ended_at__isnull=False)
        return queryset


class MembershipAdminForm(MembershipInlineForm):
    class Meta:
        model = Membership
        fields = ["person", "forum", "role"]


@admin.register(Membership)
class MembershipAdmin(CheckedAutocomplete, admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["person", "forum", "role", "started_at", "ended_at"]
    list_filter = [MembershipStatusFilter, "role", "forum__kind", "forum__level"]
    search_fields = ["person__username", "person__full_name", "forum__code", "forum__name"]
    list_select_related = ["person", "forum"]
    autocomplete_fields = ["person", "forum"]
    date_hierarchy = "started_at"
    actions = ["end_selected"]

    def get_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("person", "forum", "role")
        if obj.ended_at is None:
            return ("person", "forum", "role", "started_at", "end")
        return ("person", "forum", "role", "started_at", "ended_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        if obj is None:
            return []
        if obj.ended_at is None:
            return ["person", "forum", "started_at"]
        return ["person", "forum", "role", "started_at", "ended_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # seats are ended, so that who sat where stays known

    def save_model(self, request: HttpRequest, obj: Membership, form: forms.ModelForm, change: bool) -> None:
        by = person_of(request)
        data = form.cleaned_data
        if not change:
            saved = add_membership(person=data["person"], forum=data["forum"], role=data["role"], by=by)
        elif data.get("end"):
            saved = end_membership(membership=obj, by=by)
        elif "role" in form.changed_data:
            saved = change_role(membership=obj, role=data["role"], by=by)
        else:
            return
        adopt(obj, saved)

    @admin.action(description=_("Akhiri keanggotaan terpilih"), permissions=["change"])
    def end_selected(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        by = person_of(request)
        ended = 0
        for membership in queryset.filter(ended_at__isnull=True):
            end_membership(membership=membership, by=by)
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d keanggotaan diakhiri.", "%(count)d keanggotaan diakhiri.", ended)
            % {"count": ended},
            messages.SUCCESS,
        )
