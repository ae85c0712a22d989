"""A signal's sentence is stored in Indonesian as written and said again from the signal's own
numbers for a reader of another language: on the signal pages and in its notification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from waspada.detection import explain
from waspada.detection.models import Signal
from waspada.detection.notices import announce_signal
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db


def _weekly(region: Region, **fields: object) -> Signal:
    values: dict = {
        "isu": "agraria_warga",
        "detector": "farrington",
        "observed": 9.0,
        "expected": 2.0,
        "threshold": 6.0,
        "recurrence_days": 730.0,
        "details": {"weeks": 1},
        **fields,
    }
    with override("id"):
        sentence = explain.weekly_sentence(
            region=region,
            isu=values["isu"],
            detector=values["detector"],
            observed=values["observed"],
            expected=values["expected"],
            threshold=values["threshold"],
            recurrence_days=values["recurrence_days"],
            weeks=values["details"].get("weeks", 1),
            reports=values["details"].get("reports"),
        )
    today = timezone.localdate()
    return Signal.objects.create(
        region=region, period_start=today, period_end=today, explanation=sentence, **values
    )


def test_the_indonesian_sentence_is_the_stored_one_and_english_is_said_from_the_numbers(personas) -> None:
    signal = _weekly(Region.objects.get(code="64.01.06"))
    with override("id"):
        assert signal.explanation_text == signal.explanation
        assert signal.explanation.startswith(
            "Laporan sengketa lahan antarwarga di Kec. Long Ikis minggu ini 9"
        )
    with override("en"):
        english = signal.explanation_text
    assert english.startswith(
        "Reports of land disputes between residents in Kec. Long Ikis this week: 9, usually 2"
    )
    assert "biasanya" not in english and "minggu" not in english


def test_a_weighted_and_a_cluster_signal_read_in_english_too(personas) -> None:
    long_ikis = Region.objects.get(code="64.01.06")
    weighted = _weekly(
        long_ikis, detector="surge", series="berbobot", observed=12.5, recurrence_days=None,
        details={"weeks": 1, "reports": 4},
    )  # fmt: skip
    with override("en"):
        assert "12.5" in weighted.explanation_text and "(4 " in weighted.explanation_text
    with override("id"):
        assert "12,5" in weighted.explanation
    village = Region.objects.filter(code__startswith="64.01.06.").order_by("code").first()
    assert village is not None
    today = timezone.localdate()
    cluster = Signal.objects.create(
        region=village, isu="agama", period="hari", period_start=today - timedelta(days=6), period_end=today,
        detector="scan", observed=7, expected=1.2, threshold=9.1, recurrence_days=400.0,
        details={"villages": [village.code, "64.01.06.2001", "64.01.06.2002"], "radius_km": 2.5},
        explanation="(kalimat tersimpan)",
    )  # fmt: skip
    with override("en"):
        text = cluster.explanation_text
    assert "3 " in text and "7 days" in text and "(kalimat tersimpan)" not in text


def test_the_signal_notice_reads_in_english_for_an_english_reader(personas) -> None:
    analyst = personas.kesbangpol_analyst
    signal = _weekly(Region.objects.get(code="64.01.06"))
    announce_signal(signal)
    for event in Event.objects.filter(processed_at__isnull=True):
        fan_out(event.pk)
    client = Client()
    client.force_login(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    centre = client.get("/notifikasi/").content.decode()
    assert "Reports of land disputes between residents in Kec. Long Ikis this week" in centre
    page = client.get(f"/deteksi/{signal.pk}/").content.decode()
    assert "Reports of land disputes between residents" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert signal.explanation in client.get(f"/deteksi/{signal.pk}/").content.decode()
