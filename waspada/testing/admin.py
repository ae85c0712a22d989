"""Filling in Django admin forms from a test, as a browser would submit them unchanged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse


def _field_value(form: forms.BaseForm, name: str) -> Any:
    bound = form[name]
    value = bound.value()
    if value is None:
        return ""
    if isinstance(bound.field, forms.BooleanField):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return bound.field.widget.format_value(value) if hasattr(bound.field.widget, "format_value") else value


def _form_data(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = _field_value(form, name)
        if value in ("", None) and isinstance(field, forms.BooleanField):
            continue
        data[form.add_prefix(name)] = value if value is not None else ""
    return data


def admin_form_data(response: HttpResponse) -> dict[str, Any]:
    """The POST data of an admin add/change page as rendered: main form, inlines, management forms.

    Change what the test is about, then post it back.
    """
    context = response.context  # type: ignore[attr-defined]
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        # Only the existing rows are sent; the blank extra rows would carry defaults (a role).
        data[management.add_prefix("TOTAL_FORMS")] = management["INITIAL_FORMS"].value()
        for form in formset.forms:
            if form.instance.pk is None:
                continue  # extra blank rows stay blank
            data.update(_form_data(form))
    return {key: value for key, value in data.items() if value is not None}
