"""The filters of the signal list, shared by the page and the API: region, isu, status."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from waspada.detection.models import SignalQuerySet, SignalStatus
from waspada.regions.models import Region, within_q
from waspada.reports.taxonomy import Isu

ALL = "semua"


@dataclass(frozen=True)
class SignalFilters:
    status: str = SignalStatus.BARU  # or ALL
    isu: str = ""
    region: str = ""

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, str], *, strict: bool = False) -> SignalFilters:
        """Unknown values are dropped on the page; with ``strict`` (the API) they are an error
        naming the field (``ValidationError``)."""
        errors: dict[str, list[str]] = {}
        status = (query.get("status") or SignalStatus.BARU).strip()
        if status not in SignalStatus.values and status != ALL:
            errors["status"] = [_("Pilihan tidak dikenal: %(value)s.") % {"value": status[:40]}]
            status = SignalStatus.BARU
        isu = (query.get("isu") or "").strip()
        if isu and isu not in Isu.values:
            errors["isu"] = [_("Pilihan tidak dikenal: %(value)s.") % {"value": isu[:40]}]
            isu = ""
        region = (query.get("region") or "").strip()
        if region and not Region.objects.filter(code=region).exists():
            errors["region"] = [_("Wilayah tidak dikenal: %(value)s.") % {"value": region[:40]}]
            region = ""
        if errors and strict:
            raise ValidationError(errors)
        return cls(status=status, isu=isu, region=region)

    def apply(self, signals: SignalQuerySet) -> SignalQuerySet:
        if self.status != ALL:
            signals = signals.filter(status=self.status)
        if self.isu:
            signals = signals.filter(isu=self.isu)
        if self.region:
            signals = signals.filter(within_q(self.region))
        return signals

    def query(self) -> str:
        from urllib.parse import urlencode

        return urlencode(
            {k: v for k, v in (("status", self.status), ("isu", self.isu), ("region", self.region)) if v}
        )
