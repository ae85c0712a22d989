"""The web form for a report: labels in Indonesian, the same validation as every other surface."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.regions.models import Region
from waspada.regions.widgets import PlaceField
from waspada.reports.actions import MAX_COUNT, ReportInput
from waspada.reports.taxonomy import (
    AlertLevel,
    Athg,
    Classification,
    Gatra,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
)

EMPTY_CHOICE: list[tuple[str, Any]] = [("", _("— pilih —"))]


COUNT_ERRORS = {
    "invalid": _("Tulis bilangan bulat (0, 1, 2, …), atau kosongkan bila belum diketahui."),
    "min_value": _("Tidak boleh negatif. Kosongkan bila belum diketahui."),
    "max_value": _("Terlalu besar: paling besar 10.000.000."),
}


def _count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        help_text=_("Kosongkan bila belum diketahui; isi 0 bila memang tidak ada."),
        error_messages=COUNT_ERRORS,
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ReportForm(forms.Form):
    """Field names match ReportInput; the action does the real validation.

    ``lampiran`` is only declared here so that the page renders it with its label and errors;
    the view reads the files from the request and attaches them with ``attach_file``.
    """

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)
    reporter_forum_code = forms.ChoiceField(label=_("Melapor sebagai anggota"), required=False)
    title = forms.CharField(label=_("Judul singkat"), max_length=200)
    # No silent defaults: isu, ATHG and level start empty, so a careless report is not filed as
    # the first choice; the triage button fills them visibly.
    alert_level = forms.ChoiceField(
        label=_("Tingkat kewaspadaan"),
        choices=AlertLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih tingkat kewaspadaan.")},
    )
    isu = forms.ChoiceField(
        label=_("Isu"), choices=[*EMPTY_CHOICE, *Isu.choices], error_messages={"required": _("Pilih isu.")}
    )
    athg = forms.ChoiceField(
        label=_("Kelas ATHG"),
        choices=[*EMPTY_CHOICE, *Athg.choices],
        error_messages={"required": _("Pilih kelas ATHG.")},
    )
    region_code = PlaceField(
        label=_("Lokasi (desa/kelurahan atau kecamatan)"),
        error_messages={"required": _("Tulis nama desa/kelurahan atau kecamatan.")},
    )
    where_detail = forms.CharField(
        label=_("Keterangan tempat (dusun, RT, patokan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian (WITA)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    what = forms.CharField(label=_("Apa yang terjadi"), widget=forms.Textarea(attrs={"rows": 4}))
    who = forms.CharField(
        label=_("Siapa yang terlibat"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cause = forms.CharField(label=_("Penyebab"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    latest_condition = forms.CharField(
        label=_("Kondisi terakhir"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    interim_handling = forms.CharField(
        label=_("Penanganan sementara"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Casualties where known: left empty they are "not yet known", never 0.
    casualties_dead = _count_field(_("Korban meninggal"))
    casualties_injured = _count_field(_("Korban luka"))
    casualties_displaced = _count_field(_("Warga mengungsi"))
    people_affected = forms.IntegerField(
        label=_("Warga terdampak"),
        min_value=0,
        max_value=MAX_COUNT,
        initial=0,
        required=False,
        error_messages=COUNT_ERRORS,
    )
    jenis = forms.ChoiceField(label=_("Jenis laporan"), choices=Jenis.choices, initial=Jenis.INSIDENTIL)
    gatra = forms.MultipleChoiceField(
        label=_("Gatra"), choices=Gatra.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    source_description = forms.CharField(label=_("Sumber informasi"), max_length=300, required=False)
    source_reliability = forms.ChoiceField(
        label=_("Keandalan sumber"), choices=SourceReliability.choices, initial=SourceReliability.F
    )
    info_credibility = forms.ChoiceField(
        label=_("Kredibilitas informasi"), choices=InfoCredibility.choices, initial=InfoCredibility.C6
    )
    classification = forms.ChoiceField(
        label=_("Klasifikasi"), choices=Classification.choices, initial=Classification.BIASA
    )
    informant_name = forms.CharField(label=_("Nama informan (dirahasiakan)"), max_length=200, required=False)
    informant_contact = forms.CharField(
        label=_("Kontak informan (dirahasiakan)"), max_length=200, required=False
    )
    lampiran = forms.FileField(
        label=_("Foto atau PDF (maks. 5 berkas, 10 MB per berkas)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    latitude = forms.FloatField(label=_("Lintang"), required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(label=_("Bujur"), required=False, widget=forms.HiddenInput)
    # What the triage suggested, filled by suggest-form.js; it travels with the report (and its
    # outbox copy) so the correction is recorded in the report's own transaction. Free strings:
    # the action keeps the known values and drops the rest, never refusing the report for them.
    suggested_isu = forms.CharField(required=False, widget=forms.HiddenInput)
    suggested_athg = forms.CharField(required=False, widget=forms.HiddenInput)
    suggested_level = forms.CharField(required=False, widget=forms.HiddenInput)
    suggested_region_code = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, forum_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forum_field = self.fields["reporter_forum_code"]
        assert isinstance(forum_field, forms.ChoiceField)
        forum_field.choices = forum_choices
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    SUGGESTED = ("isu", "athg", "level", "region_code")

    def triage_suggestion(self) -> dict[str, str]:
        """The suggestion the reporter was shown (empty when the triage was not asked)."""
        values = {name: self.cleaned_data.get(f"suggested_{name}") or "" for name in self.SUGGESTED}
        return {name: value for name, value in values.items() if value}

    def to_input(self) -> ReportInput:
        data = dict(self.cleaned_data)
        data.pop("idempotency_key", None)
        data.pop("lampiran", None)
        for name in self.SUGGESTED:
            data.pop(f"suggested_{name}", None)
        occurred: datetime = data["occurred_at"]
        data["occurred_at"] = occurred if timezone.is_aware(occurred) else timezone.make_aware(occurred)
        data["people_affected"] = data["people_affected"] or 0  # the casualties stay None: not known
        data["reporter_forum_code"] = data["reporter_forum_code"] or None
        region: Region = data["region_code"]
        data["region_code"] = region.code
        return ReportInput(informant_secret=True, **data)
