"""Account administration, for Kesbangpol administrators and superusers.

Only they reach the admin: ``is_staff`` is set exclusively by ``set_kesbangpol_admin`` (and
``createsuperuser``), and is not editable here. Saves go through ``waspada.people.actions``.
A Kesbangpol administrator cannot edit a superuser, so that the Admin Kesbangpol
permissions cannot be turned into superuser rights (e.g. by resetting their password).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from waspada.forums.admin import PersonMembershipInline, adopt, save_membership_formset
from waspada.lib.requests import person_of
from waspada.people.actions import check_email_is_free, create_person, set_kesbangpol_admin, update_person
from waspada.people.models import ApiToken, Person
from waspada.people.tokens import revoke_all_tokens, revoke_token
from waspada.regions.widgets import RegionPickerWidget
from waspada.security.models import TotpDevice
from waspada.security.two_factor import reset_second_factor

PROFILE_FIELDS = ("full_name", "email", "phone", "position", "home_region")


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = Person
        fields = ("username", *PROFILE_FIELDS, "is_kesbangpol_admin")
        field_classes = {"username": UsernameField}
        widgets = {"home_region": RegionPickerWidget()}

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "")
        try:
            check_email_is_free(email)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from error
        return email


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = Person
        fields = (
            "username",
            "password",
            *PROFILE_FIELDS,
            "is_active",
            "is_kesbangpol_admin",
            "is_informant_handler",
        )
        field_classes = {"username": UsernameField}
        widgets = {"home_region": RegionPickerWidget()}

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "")
        try:
            check_email_is_free(email, exclude=self.instance)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from error
        return email


@admin.register(Person)
class PersonAdmin(UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = [
        "username",
        "full_name",
        "email",
        "position",
        "is_kesbangpol_admin",
        "two_factor_on",
        "is_active",
    ]
    list_filter = ["is_kesbangpol_admin", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email", "phone", "position"]
    ordering = ["username"]
    filter_horizontal = []
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri"), {"fields": PROFILE_FIELDS}),
        (
            _("Hak akses"),
            {
                "fields": (
                    "is_active",
                    "is_kesbangpol_admin",
                    "is_informant_handler",
                    "is_staff",
                    "is_superuser",
                )
            },
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Data diri"), {"fields": PROFILE_FIELDS}),
        (_("Hak akses"), {"fields": ("is_kesbangpol_admin",)}),
    )
    inlines = [PersonMembershipInline]
    actions = ["reset_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        confirmed = TotpDevice.objects.filter(person=OuterRef("pk"), confirmed_at__isnull=False)
        return super().get_queryset(request).annotate(has_totp=Exists(confirmed))

    @admin.display(description=_("verifikasi dua langkah"), boolean=True)
    def two_factor_on(self, obj: Any) -> bool:
        return bool(getattr(obj, "has_totp", False))

    @admin.action(description=_("Atur ulang verifikasi dua langkah (ponsel hilang)"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        by = person_of(request)
        done = 0
        for person in queryset:
            if person.is_superuser and not by.is_superuser:
                continue  # as everywhere here: a Kesbangpol administrator does not manage superusers
            done += reset_second_factor(person=person, by=by, request=request)
        self.message_user(
            request,
            _("Verifikasi dua langkah diatur ulang untuk %(count)d orang; token API mereka dicabut.")
            % {"count": done},
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's "change password" page of the admin; a new password revokes the person's API
        tokens in the same transaction (token.revoked_all), as everywhere a password changes."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                person = Person.objects.get(pk=id)
                revoke_all_tokens(
                    person=person, by=person_of(request), reason="password_set", request=request
                )
        return response

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["is_kesbangpol_admin", "is_active"]  # nobody locks themselves out
            if not obj.is_informant_handler:
                readonly.append("is_informant_handler")  # another administrator grants it
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, so that what they did stays attributed

    def save_model(self, request: HttpRequest, obj: Person, form: forms.ModelForm, change: bool) -> None:
        by = person_of(request)
        data = form.cleaned_data
        if not change:
            saved = create_person(
                username=data["username"],
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                password=data["password1"] if data.get("set_usable_password", True) else None,
                phone=data.get("phone", ""),
                position=data.get("position", ""),
                home_region=data.get("home_region"),
                is_kesbangpol_admin=bool(data.get("is_kesbangpol_admin")),
                by=by,
            )
        else:
            profile = {
                name: data[name]
                for name in form.changed_data
                if name in ("username", *PROFILE_FIELDS, "is_active", "is_informant_handler")
            }
            saved = update_person(person=obj, by=by, **profile) if profile else obj
            if "is_kesbangpol_admin" in form.changed_data:
                saved = set_kesbangpol_admin(person=saved, value=bool(data["is_kesbangpol_admin"]), by=by)
        adopt(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        save_membership_formset(request, formset)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owner (profile page) or with ``waspada token create``; here an
    administrator sees them and can only revoke (the digest is not a secret, the token is)."""

    list_display = ("name", "person", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "person__username")
    readonly_fields = ("person", "name", "hint", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            revoke_token(token=token, by=person_of(request))
