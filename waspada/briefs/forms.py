"""The on-demand form: a kind and a period, with an Indonesian message per field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.briefs.periods import BriefKind, Period, calendar_period

MAX_DAYS = 366


class BriefForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=BriefKind.choices,
        error_messages={
            "required": _("Pilih jenis laporan."),
            "invalid_choice": _("Jenis laporan tidak dikenal: pilih mingguan, bulanan atau triwulanan."),
        },
    )
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
