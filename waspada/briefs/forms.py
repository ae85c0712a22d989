"""The on-demand form: a kind and a period, with an Indonesian message per field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.briefs.models import ASSESSMENT_MAX, LAPSIT_TEXT_MAX
from waspada.briefs.periods import BriefKind, Period, calendar_period

MAX_DAYS = 366


def _kind_field() -> forms.ChoiceField:
    """Weekly, monthly or quarterly: the one question every briefs form asks first."""
    return forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=BriefKind.choices,
        error_messages={
            "required": _("Pilih jenis laporan."),
            "invalid_choice": _("Jenis laporan tidak dikenal: pilih mingguan, bulanan atau triwulanan."),
        },
    )


class BriefForm(forms.Form):
    kind = _kind_field()
    start = forms.DateField(
        label=_("Mulai tanggal"),
        help_text=_(
            "Tanggal dalam periode; kosongkan tanggal akhir untuk satu minggu, bulan atau triwulan penuh."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Isi tanggal awal periode."), "invalid": _("Tanggal tidak sah.")},
    )
    end = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak sah.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, start, end = data.get("kind"), data.get("start"), data.get("end")
        today = timezone.localdate()
        if start and start > today:
            self.add_error("start", _("Periode tidak boleh di masa depan."))
            return data
        if end and end > today:
            self.add_error("end", _("Tanggal akhir tidak boleh di masa depan."))
        if start and end and end < start:
            self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        if start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", _("Periode paling panjang satu tahun."))
        if self.errors or not (kind and start):
            return data
        if end is None:
            # the calendar period holding the start date, up to today at most
            period = calendar_period(kind, start)
            data["period"] = Period(kind, period.start, min(period.end, today))
        else:
            data["period"] = Period(kind, start, end)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


class CalendarPeriodForm(forms.Form):
    """A kind and one date: the calendar week, month or quarter holding it (releases and the
    province Lapsit are keyed by calendar period, so every regency's release of a month meets)."""

    kind = _kind_field()
    day = forms.DateField(
        label=_("Tanggal dalam periode"),
        help_text=_("Minggu, bulan atau triwulan yang memuat tanggal ini."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal dalam periode."), "invalid": _("Tanggal tidak sah.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, day = data.get("kind"), data.get("day")
        if day and day > timezone.localdate():
            self.add_error("day", _("Periode tidak boleh di masa depan."))
        if self.errors or not (kind and day):
            return data
        data["period"] = calendar_period(kind, day)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


class ReleaseForm(CalendarPeriodForm):
    regency = forms.ChoiceField(
        label=_("Kabupaten/kota"),
        error_messages={
            "required": _("Pilih kabupaten/kota."),
            "invalid_choice": _("Anda tidak merilis laporan situasi untuk kabupaten/kota itu."),
        },
    )
    assessment = forms.CharField(
        label=_("Penilaian / analisis"),
        help_text=_(
            "Penilaian singkat Tim Kewaspadaan Dini atas situasi periode ini "
            "(wajib, paling banyak 2000 karakter)."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": ASSESSMENT_MAX}),
        max_length=ASSESSMENT_MAX,
        error_messages={
            "required": _("Tulis penilaian / analisis sebelum merilis."),
            "max_length": _(
                "Penilaian / analisis paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."
            ),
        },
    )
    replace = forms.BooleanField(
        label=_("Rilis ulang (ganti rilis periode ini yang sudah ada)"),
        required=False,
    )

    def __init__(self, *args: Any, regencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = regencies  # type: ignore[attr-defined]
        if len(regencies) == 1:
            self.fields["regency"].initial = regencies[0][0]
        self.fields["kind"].initial = BriefKind.BULANAN
        self.fields["day"].initial = timezone.localdate()


class ProvinceBriefForm(CalendarPeriodForm):
    assessment = forms.CharField(
        label=_("Penilaian provinsi"),
        help_text=_("Penilaian Tim Kewaspadaan Dini provinsi (boleh kosong, paling banyak 2000 karakter)."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": ASSESSMENT_MAX}),
        max_length=ASSESSMENT_MAX,
        required=False,
        error_messages={
            "max_length": _(
                "Penilaian provinsi paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."
            ),
        },
    )


def _lapsit_text(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=LAPSIT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d).")},
    )


class LapsitForm(forms.Form):
    """The analyst's part of a draft Lapsit; the figures are the application's."""

    analisa = _lapsit_text(
        _("Analisa"), _("Apa arti fakta periode ini: sebab, keterkaitan antarperistiwa, kecenderungan.")
    )
    prakiraan = _lapsit_text(_("Prakiraan"), _("Perkembangan yang diperkirakan pada periode berikutnya."))
    saran = _lapsit_text(
        _("Saran tindak"), _("Langkah yang disarankan kepada pimpinan daerah dan Forkopimda.")
    )


class LapsitReturnForm(forms.Form):
    """The head of Kesbangpol's note when he sends a draft Lapsit back to its analyst."""

    note = forms.CharField(
        label=_("Catatan untuk analis"),
        max_length=LAPSIT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Tulis apa yang perlu diperbaiki analis."),
            "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
    )
