"""No page prints an internal code (``agraria_korporasi``, ``TIMDU_PKS``) where a name belongs.

One report walks the usual path (filed ``awas`` so routing tasks forums at once, verified into
an incident); then every list and detail page its reporter, the analyst and an acting forum's
member see is read as text, without the markup, and searched for the codes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from waspada.forums.models import ForumKind
from waspada.people.models import Person
from waspada.reports.actions import verify_report
from waspada.reports.taxonomy import AlertLevel, Athg, Isu
from waspada.reports.tests.factories import submit
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db

# Codes that read as words in Indonesian too ("awas", "agama", "narkoba") cannot be told from
# prose, so the scan looks for the ones a person could never mistake for text.
CODES = sorted(
    {value for value in (*Isu.values, *ForumKind.values) if "_" in value or value.isupper()}
    - {"TKD", "BNK", "FPK", "FKUB", "FKPD", "FKDM"}  # abbreviations officials do write
)
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(code) for code in CODES) + r")(?![\w-])")


class _Text(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            # What a person reads of an element: its button label or title.
            if name in ("title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parts.strip() for parts in parser.parts if parts.strip())


def codes_on(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return sorted(set(PATTERN.findall(visible_text(response.content.decode()))))


def test_the_scan_finds_a_code_in_text_and_not_in_attributes() -> None:
    html = (
        '<p class="agraria_korporasi">Isu: agraria_korporasi, forum TIMDU_PKS</p>'
        '<option value="sara_etnis">SARA</option>'
    )
    assert sorted(set(PATTERN.findall(visible_text(html)))) == ["TIMDU_PKS", "agraria_korporasi"]


def test_report_incident_and_situation_pages_show_names_to_everyone_involved(
    desa_reporter: Person, kesbangpol_analyst: Person, client: Client
) -> None:
    report = submit(
        desa_reporter, isu=Isu.AGRARIA_KORPORASI, athg=Athg.ANCAMAN, alert_level=AlertLevel.AWAS
    ).report
    incident = verify_report(report=report, by=kesbangpol_analyst)
    acting = Disposition.objects.filter(report=report, forum__kind=ForumKind.TIMDU_PKS).first()
    assert acting is not None, "a land dispute at awas tasks the TIMDU PKS"

    pages = {
        desa_reporter: [
            "/laporan/",
            f"/laporan/{report.reference}/",
            "/laporan/baru/",
            "/notifikasi/",
        ],
        kesbangpol_analyst: [
            "/laporan/",
            f"/laporan/{report.reference}/",
            "/laporan/insiden/",
            f"/laporan/insiden/{incident.reference}/",
            "/situasi/",
            "/situasi/laporan/",
            "/situasi/insiden/",
            "/situasi/peta/",
            f"/situasi/wilayah/{report.region_id}/",
            "/tindak-lanjut/",
            f"/tindak-lanjut/{acting.pk}/",
            "/tindak-lanjut/metrik/",
            "/notifikasi/",
            "/",
        ],
    }
    found: dict[str, list[str]] = {}
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            codes = codes_on(client, url)
            if codes:
                found[f"{person.username} {url}"] = codes
    assert found == {}


def test_the_label_filter_names_a_bare_code_in_the_readers_language() -> None:
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{% load labels %}{{ isu|label:"isu" }} / {{ kind|label:"forum_kind" }} / {{ x|label:"isu" }}'
    )
    context = Context({"isu": "agraria_korporasi", "kind": "TIMDU_PKS", "x": "tidak_ada"})
    assert template.render(context) == (
        "Agraria: warga dan perusahaan / Tim Terpadu Penanganan Konflik Sosial / tidak_ada"
    )
    with translation.override("en"):
        assert template.render(context).startswith("Land: residents and companies / ")
