"""A region picker for forms: type a name, choose from server-side suggestions.

A ``<select>`` of 83,762 villages is unusable and heavy, so the picker renders a hidden input
holding the Kemendagri code plus a search box; ``static/regions/region-picker.js`` asks
``/api/v1/regions/?q=`` for suggestions. Configuration and the Indonesian messages travel in
``data-*`` attributes because the Content-Security-Policy will forbid inline scripts. Without
JavaScript the hidden input keeps the current value, so a form can still be saved unchanged.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.regions.models import Region, RegionQuerySet
from waspada.regions.names import normalize_code

API_FALLBACK_URL = "/api/v1/regions/"


def describe(region: Region) -> str:
    """The region and the administrative units above it, nearest first, down to the regency.

    "Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser": the kecamatan disambiguates the
    many villages that share a name; the province adds nothing for a regency installation.
    """
    parts = [region.label]
    parts += [ancestor.label for ancestor in reversed(region.ancestors()) if ancestor.level >= 2]
    return ", ".join(parts)


class RegionPickerWidget(forms.Widget):
    """Hidden code input plus an accessible search combobox (WAI-ARIA combobox pattern).

    ``level`` limits suggestions to one level (1 provinsi … 4 desa/kelurahan); ``within``
    limits them to a region's subtree, e.g. ``"64.01"`` for a regency installation. The form
    field still validates the submitted code; the widget only helps choose it.
    """

    template_name = "regions/widgets/region_picker.html"

    class Media:
        js = ["regions/region-picker.js"]
        css = {"all": ["regions/region-picker.css"]}

    def __init__(
        self, level: int | None = None, within: str | None = None, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.level = level
        self.within = normalize_code(within) if within else None

    def format_value(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, Region):
            return value.code
        return normalize_code(str(value))

    def id_for_label(self, id_: str) -> str:
        # The visible search box is what a <label> should focus, not the hidden input.
        return f"{id_}_search" if id_ else id_

    def use_required_attribute(self, initial: Any) -> bool:
        # A hidden input cannot be "required" in HTML; the form field checks it on the server.
        return False

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = context["widget"]["value"]
        region = (
            Region.objects.filter(code=code).select_related("parent__parent__parent").first()
            if code
            else None
        )
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        try:
            api_url = reverse("api:list_regions")
        except NoReverseMatch:
            api_url = API_FALLBACK_URL
        context["picker"] = {
            "id": widget_id,
            "search_id": f"{widget_id}_search",
            "listbox_id": f"{widget_id}_listbox",
            "status_id": f"{widget_id}_status",
            "api_url": api_url,
            "level": self.level or "",
            "within": self.within or "",
            "label": region.label if region else "",
            "description": describe(region) if region else (code or ""),
            "placeholder": _("Ketik nama atau kode wilayah…"),
            "messages": {
                "searching": _("Mencari…"),
                "empty": _("Tidak ada wilayah yang cocok."),
                "error": _("Saran wilayah gagal dimuat; coba lagi."),
                "too_short": _("Ketik minimal 2 huruf."),
                "count": _("{count} saran; pilih dengan panah atas/bawah lalu Enter."),
                "chosen": _("Dipilih: {label}"),
                "none": _("Belum ada wilayah dipilih."),
            },
        }
        return context


class RegionPickerField(forms.ModelChoiceField):
    """A Region choice rendered with ``RegionPickerWidget`` and limited to what it offers.

    The queryset is narrowed to the same level and subtree as the suggestions, so a code typed
    into a tampered hidden input is rejected like any invalid choice.
    """

    default_error_messages = {
        "invalid_choice": gettext_lazy("Wilayah tidak dikenal atau tidak boleh dipilih di sini."),
    }

    def __init__(
        self,
        *,
        level: int | None = None,
        within: str | None = None,
        queryset: RegionQuerySet | None = None,
        **kwargs: Any,
    ) -> None:
        regions = queryset if queryset is not None else Region.objects.all()
        if level is not None:
            regions = regions.filter(level=level)
        if within:
            regions = regions.within_code(normalize_code(within))
        kwargs.setdefault("widget", RegionPickerWidget(level=level, within=within))
        kwargs.setdefault("label", gettext_lazy("Wilayah"))
        super().__init__(queryset=regions, **kwargs)

    def to_python(self, value: Any) -> Region | None:
        if isinstance(value, str):
            value = normalize_code(value)
        result: Region | None = super().to_python(value)
        return result


class PlaceInputWidget(RegionPickerWidget):
    """The picker for a place a person types: the search box is submitted too (``<name>_text``).

    Without JavaScript the typed text reaches the server, which resolves a code or a name
    (``regions/places.py``) and, for a name several regions carry, renders the candidates as
    radio buttons (``<name>_choice``) next to the box, with the typed text kept. With
    JavaScript the picker suggests as one types; typing clears the chosen code, so the text is
    what counts until a suggestion is chosen.
    """

    def __init__(
        self, level: int | None = None, within: str | None = None, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(level=level, within=within, attrs=attrs)
        self.candidates: list[tuple[str, str, str]] = []  # (code, label, where) after an ambiguous name
        self.levels: tuple[int, ...] = ()  # the levels a place may have; suggestions stay within them

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str | None]:
        return {
            "code": data.get(name),
            "text": data.get(f"{name}_text"),  # None: not sent (a script or the API posted the code)
            "choice": data.get(f"{name}_choice"),
        }

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_text" not in data

    def format_value(self, value: Any) -> str:
        if isinstance(value, dict):
            return normalize_code(str(value.get("code") or ""))
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picker = context["picker"]
        picker["text_name"] = f"{name}_text"
        picker["min_level"] = min(self.levels) if self.levels else ""
        picker["choice_name"] = f"{name}_choice"
        picker["placeholder"] = _("Ketik nama desa/kelurahan atau kecamatan…")
        if isinstance(value, dict) and value.get("text") is not None:
            typed = str(value["text"])
            if typed.strip() != picker["label"]:
                # What the person typed stays in the box, even if it named nothing yet.
                picker["label"] = typed
                picker["description"] = ""
        chosen = value.get("choice") if isinstance(value, dict) else None
        picker["candidates"] = [
            {"code": code, "label": label, "where": where, "checked": code == chosen}
            for code, label, where in self.candidates
        ]
        return context


class PlaceField(forms.Field):
    """A report's location: a Kemendagri code or a name, resolved by ``regions.places``.

    Cleans to a ``Region``. On a name several regions carry, the error asks to choose and the
    widget shows the candidates; on an unknown name, near matches are shown the same way.
    """

    widget = PlaceInputWidget

    def __init__(self, *, levels: tuple[int, ...] | None = None, **kwargs: Any) -> None:
        from waspada.regions.places import REPORT_LEVELS

        self.levels = levels or REPORT_LEVELS
        super().__init__(**kwargs)
        if isinstance(self.widget, PlaceInputWidget):
            self.widget.levels = self.levels

    def _candidates(self, regions: list[Region]) -> None:
        from waspada.regions.places import describe_all

        described = describe_all(regions)
        widget = self.widget
        assert isinstance(widget, PlaceInputWidget)
        widget.candidates = [
            (r.code, r.label, described[r.code][len(r.label) :].lstrip(", ")) for r in regions
        ]

    def clean(self, value: Any) -> Region | None:
        from waspada.regions.places import resolve_place

        if not isinstance(value, dict):
            value = {"code": value, "text": None, "choice": None}
        code = str(value.get("code") or "").strip()
        text = value.get("text")
        choice = str(value.get("choice") or "").strip()
        if text is None:  # only the code was sent (a script, a test, the offline outbox of old)
            wanted = code
        else:
            wanted = str(text).strip()
            if code and wanted:
                chosen = Region.objects.defer("boundary").filter(code=normalize_code(code)).first()
                shown = (chosen.label, chosen.name, chosen.code, describe(chosen)) if chosen else ()
                if chosen is not None and wanted in shown:
                    return chosen
        if not wanted:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        lookup = resolve_place(wanted, levels=self.levels)
        if lookup.region is not None:
            return lookup.region
        if choice and any(region.code == choice for region in lookup.candidates):
            return next(region for region in lookup.candidates if region.code == choice)
        self._candidates(lookup.candidates)
        raise forms.ValidationError(lookup.problem, code="ambiguous" if lookup.ambiguous else "invalid")
