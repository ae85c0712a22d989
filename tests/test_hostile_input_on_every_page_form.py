"""Every form the site shows, and every page route of the URL configuration, given hostile input:
never a server error, and the values no field may hold are refused naming the field, with nothing
written (issue "Hardening from a hostile review", points 2 and 5).

Nothing here is written per form. The forms are the ones the site shows its people: a crawl
(waspada/testing/crawl.py) as the Kesbangpol analyst (informant handler), the Kesbangpol
administrator (the admin's forms), the village reporter, the FKUB officer and the Bupati collects
every form on every page they reach, in the world the link crawl builds (reports at every level, a
secret one, incidents, dispositions in every state, a signal, a brief, a CAP alert). The routes are
the URL resolver's: a new page or form is covered the day it is added.

Each field of each form is sent a NUL, one other refused value and one kept value, the values taken
in turn so that each meets about a hundred fields (the other fields keep what the page showed), each
submission inside a savepoint that is rolled back, so one cannot hide the next:

- refused (lib/input.py): a NUL character, a date before 1900 or after 2100, a number larger than any
  id: answered 400, the page naming the field;
- accepted by the input layer and left to the form: the dates at the ends of the range, the largest
  id, a negative number, 20,000 characters: anything but a 5xx.

On SQLite, which would store a NUL, no text column of any table holds one afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.test_every_link_a_persona_is_shown_opens import EXTRA_CODES, World, _build_world
from waspada.testing.crawl import Crawler, Form, internal_codes

CRAWLED = ["kesbangpol_analyst", "kesbangpol_admin", "desa_reporter", "fkub_officer", "regent"]

# Refused by the input layer, whatever the field: (label, value, the words the 400 page says).
REFUSED = {
    "nul": ("Laporan\x00palsu", "karakter NUL"),
    "year_1": ("0001-01-01", "antara 1 Januari 1900 dan 31 Desember 2100"),
    "year_9999": ("9999-12-31", "antara 1 Januari 1900 dan 31 Desember 2100"),
    "id_30_digits": ("1" * 30, "terlalu besar"),
}
# Kept by the input layer: the form decides, but never with a server error.
KEPT = {
    "first_day": "1900-01-01",
    "last_day": "2100-12-31T23:59",
    "largest_id": str(2**63 - 1),
    "negative": "-1",
    "long_text": "Tanah Grogot " * 1540,  # 20,020 characters
}
NEVER_SENT = frozenset({"csrfmiddlewaretoken"})
SKIPPED_ACTIONS = ("/akun/keluar/", "/admin/logout/", "/i18n/")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _client(world: World, key: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.people[key])
    return client


@dataclass(frozen=True)
class Shown:
    """One form as a persona is shown it: where, by whom, and its fields."""

    persona: str
    page: str
    form: Form

    @property
    def action(self) -> str:
        target = self.form.action or self.page
        parts = urlsplit(target)
        if parts.netloc not in ("", "testserver"):
            return ""
        if not parts.path.startswith("/"):  # relative to the page
            base = self.page.split("?")[0].rsplit("/", 1)[0]
            return f"{base}/{parts.path}"
        return parts.path

    def route(self) -> str:
        try:
            return resolve(self.action).route
        except Resolver404:
            return self.action

    def fields(self) -> list[str]:
        names = [name for name, _value in self.form.fields if name not in NEVER_SENT]
        return list(dict.fromkeys(names))


def _forms(world: World) -> list[Shown]:
    """Each distinct form (persona's first sight of a method, route and set of fields)."""
    found: dict[tuple[str, str, tuple[str, ...]], Shown] = {}
    for key in CRAWLED:
        result = Crawler(_client(world, key), codes=internal_codes(extra=EXTRA_CODES), max_pages=250).crawl()
        for page, form in result.forms:
            shown = Shown(key, page, form)
            if not shown.action or shown.action.startswith(SKIPPED_ACTIONS) or form.method == "dialog":
                continue
            found.setdefault((form.method, shown.route(), tuple(sorted(shown.fields()))), shown)
    return list(found.values())


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    error: str


def _send(client: Client, shown: Shown, field: str, value: str) -> Answer:
    data: dict[str, list[str]] = {}
    for name, shown_value in shown.form.fields:
        data.setdefault(name, []).append(shown_value)
    data[field] = [value]
    if shown.form.submit:
        data.setdefault(shown.form.submit[0], [shown.form.submit[1]])
    with transaction.atomic():
        if shown.form.method == "post":
            response: Any = client.post(shown.action, data)
        else:
            response = client.get(shown.action, data)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
            text = ""
        else:
            text = response.content.decode(response.charset or "utf-8", errors="replace")
        transaction.set_rollback(True)
    exc = getattr(response, "exc_info", None)
    error = f"{exc[0].__name__}: {str(exc[1])[:160]}" if exc else ""
    return Answer(response.status_code, text, error)


@pytest.mark.timeout(900)  # five crawls and about 1,100 submissions
def test_every_form_refuses_what_no_field_may_hold_and_never_fails(world: World) -> None:
    forms = _forms(world)
    routes = {shown.route() for shown in forms}
    fields = sum(len(shown.fields()) for shown in forms)
    print(f"{len(forms)} forms on {len(routes)} routes, {fields} fields")
    # The crawl reached the forms of the review's list: saved search, reject, incident level and
    # merge, API token, status override, alert, follow-up; and the admin's.
    assert len(forms) > 40 and fields > 150, "the crawl found too few forms to mean anything"
    posted = {shown.route() for shown in forms if shown.form.method == "post"}
    for expected in (
        "situasi/pencarian/",  # saved search name
        "laporan/<str:reference>/triase/",  # reject reason
        "laporan/insiden/<str:reference>/",  # incident level, merge reason
        "akun/profil/",  # API token name
        "situasi/wilayah/<str:code>/",  # status override reason
        "pertukaran/peringatan/baru/",  # alert headline
        "tindak-lanjut/<int:pk>/aksi/",  # follow-up text
        "laporan/baru/",  # the report form
    ):
        assert expected in posted, f"no form posting to {expected} was found"
    assert any(route.startswith("admin/") for route in posted), "no admin form was found"

    clients = {key: _client(world, key) for key in CRAWLED}
    failures: list[str] = []
    # Every field gets a NUL, one other refused value and one kept value, taken in turn, so that
    # each value meets about a hundred fields and the test stays within minutes on PostgreSQL.
    others = [label for label in REFUSED if label != "nul"]
    kept = list(KEPT)
    turn = 0
    for shown in forms:
        client = clients[shown.persona]
        for field in shown.fields():
            where = f"{shown.persona} {shown.form.method.upper()} {shown.action} [{field}]"
            for label in ("nul", others[turn % len(others)]):
                value, words = REFUSED[label]
                answer = _send(client, shown, field, value)
                if answer.status != 400 or words not in answer.text or f"“{field}”" not in answer.text:
                    failures.append(f"{where} {label}: {answer.status} {answer.error}")
            label = kept[turn % len(kept)]
            answer = _send(client, shown, field, KEPT[label])
            if answer.status >= 500:
                failures.append(f"{where} {label}: {answer.status} {answer.error}")
            turn += 1
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses to store a NUL at all")
def test_no_text_column_holds_a_nul_after_every_form_was_sent_one(world: World) -> None:
    client = _client(world, "kesbangpol_analyst")
    for shown in _forms(world):
        if shown.persona != "kesbangpol_analyst":
            continue
        data: dict[str, list[str]] = {}
        for name, value in shown.form.fields:
            data.setdefault(name, []).append(value)
        for name in shown.fields():
            data[name] = [f"{data[name][0]}\x00"]
        (client.post if shown.form.method == "post" else client.get)(shown.action, data)
    holding = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            for name in _text_fields(model):
                column = connection.ops.quote_name(model._meta.get_field(name).column)
                # instr() and char(0): a NUL inside a LIKE pattern would end the pattern there.
                cursor.execute(f"SELECT 1 FROM {table} WHERE instr({column}, char(0)) > 0 LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    holding.append(f"{model._meta.db_table}.{name}")
    assert not holding


# ---------------------------------------------------------------------------------------------
# Every page route of the URL configuration
# ---------------------------------------------------------------------------------------------


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _example_path(route: str) -> str:
    """A path for ``route`` with its parameters filled in: a number for an int, a word otherwise."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.replace("\\", "")


PAGE_ROUTES = sorted({route for route in _routes() if not route.startswith("api/")})


def test_every_page_route_refuses_hostile_values_in_its_query_and_its_form(world: World) -> None:
    """Whatever a route is, and whatever its parameters are called, the same rules hold."""
    client = _client(world, "kesbangpol_analyst")
    assert len(PAGE_ROUTES) > 80
    failures: list[str] = []
    for route in PAGE_ROUTES:
        path = _example_path(route)
        for label, (value, words) in REFUSED.items():
            for method in ("get", "post"):
                response: Any = getattr(client, method)(path, {"since": value, "nama": "x"})
                if response.status_code != 400 or words not in response.content.decode():
                    failures.append(f"{method.upper()} {path} {label}: {response.status_code}")
    assert not failures, "\n".join(failures[:40])


def test_a_path_id_larger_than_any_row_is_not_found() -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/laporan/" + "9" * 30 + "/").status_code == 404
    assert client.get("/tindaklanjut/" + "9" * 30 + "/").status_code == 404


def test_a_form_larger_than_the_limit_is_told_in_indonesian_not_a_bare_400(
    world: World, settings: Any
) -> None:
    client = _client(world, "desa_reporter")
    body = "Tanah Grogot " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 13 + 10)
    response = client.post("/laporan/baru/", {"what": body}, HTTP_REFERER="http://testserver/laporan/baru/")
    assert response.status_code == 413
    page = response.content.decode()
    assert "Isian formulir terlalu besar untuk dikirim" in page
    assert 'href="http://testserver/laporan/baru/"' in page  # back to the form, still filled in


def test_the_report_forms_script_is_told_which_field_in_json(world: World) -> None:
    """reports/outbox.js sends the form with ``Accept: application/json`` and shows each error
    beside its field."""
    client = _client(world, "desa_reporter")
    response = client.post("/laporan/baru/", {"title": "Blokade\x00jalan"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "title",
            "code": "null_character",
            "message": "Isian “title” berisi karakter NUL (kode 0), yang tidak diizinkan.",
        }
    ]
