"""A bounded, breadth-first crawl of the site with Django's test client, as one signed-in person.

It answers two questions about every page a person reaches from the home page: does each link,
image (a thumbnail of an attachment) and form target the page shows them open for them (not 404,
403 or 500, not bounced to the login page), and does the page's visible text show an internal
code (``agraria_korporasi``, ``TIMDU_PKS``, a bare ``menunggu``) where a name belongs.

Rules of the walk, so that it ends quickly and means something:

- Same-site ``<a href>`` and ``<form action>`` only; ``mailto:``, ``tel:``, ``javascript:``,
  fragments and static assets are not pages. Logout and the language switch are never followed
  (they end the session or change the language under the crawl).
- GET forms are submitted with the values they show (the selected option, checked boxes, the
  first named submit button). POST forms are not submitted (that would write); their target is
  asked with a GET, which must answer something other than 404, 403 or 500 (405 is the usual
  answer of a POST-only view). A GET that is refused outright where the form is offered is the
  same dead end a person meets when the page they came from has gone stale.
- Redirects are followed; where a chain ends is what counts.
- Bounds: at most ``max_pages`` requests; per URL pattern at most ``per_route`` distinct objects;
  per path at most ``queries_per_path`` distinct query strings (later ones are dropped); under the
  ``narrow`` prefixes (the admin) two objects and one query string. Links left out by a bound are
  counted in ``CrawlResult.unchecked``, never silently.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

LOGIN_PATH = "/akun/masuk/"
NEVER_FOLLOWED = ("/akun/keluar/", "/admin/logout/", "/i18n/")
BAD_STATUSES = frozenset({403, 404, 500})
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "geo:", "blob:")
# Text inside these elements is not shown as page text (a <title> is: it names the tab).
INVISIBLE = frozenset({"script", "style", "template", "svg"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


# ---------------------------------------------------------------------------------------------
# Reading a page
# ---------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    submit: tuple[str, str] | None = None  # the first named submit button


class PageReader(HTMLParser):
    """Collects a page's links, forms and visible text nodes (no tags, scripts or attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []
        self.forms: list[Form] = []
        self.texts: list[str] = []
        self._hidden_depth = 0
        self._stack: list[str] = []
        self._hiding: list[bool] = []  # beside ``_stack``: whether that element hides its text
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._option_value: str | None = None
        self._option_text: list[str] = []
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag not in _VOID:
            # A machine document shown as it is (a CAP message in ``<pre translate="no">``) holds
            # codes by its own format: not text the page says in its own words.
            hides = tag in INVISIBLE or (tag == "pre" and attr.get("translate") == "no")
            self._stack.append(tag)
            self._hiding.append(hides)
            if hides:
                self._hidden_depth += 1
        if tag == "a" and "href" in attr:
            self.links.append(attr["href"])
        elif tag == "img" and attr.get("src"):
            self.images.append(attr["src"])
        elif tag == "form":
            self._form = Form(action=attr.get("action", ""), method=(attr.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._input(attr)
        elif tag == "button" and self._form is not None:
            kind = attr.get("type", "submit").lower()
            if kind == "submit" and attr.get("name") and self._form.submit is None:
                self._form.submit = (attr["name"], attr.get("value", ""))
        elif tag == "select" and self._form is not None:
            self._select = (attr.get("name", ""), [], [])
        elif tag == "option" and self._select is not None:
            self._option_value = attr.get("value")
            self._option_text = []
            if "selected" in attr:
                self._select[2].append(attr.get("value", ""))
        elif tag == "textarea" and self._form is not None:
            self._textarea = (attr.get("name", ""), [])

    def _input(self, attr: dict[str, str]) -> None:
        assert self._form is not None
        name = attr.get("name", "")
        kind = attr.get("type", "text").lower()
        if kind in ("submit", "image"):
            if name and self._form.submit is None:
                self._form.submit = (name, attr.get("value", ""))
            return
        if not name or kind in ("button", "reset", "file") or "disabled" in attr:
            return
        if kind in ("checkbox", "radio") and "checked" not in attr:
            return
        default = "on" if kind in ("checkbox", "radio") else ""
        self._form.fields.append((name, attr.get("value", default)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None:
            text = "".join(self._option_text).strip()
            self._select[1].append(self._option_value if self._option_value is not None else text)
            self._option_value = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            if name:
                for value in selected or options[:1]:
                    self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            area_name, area_text = self._textarea
            if area_name:
                self._form.fields.append((area_name, "".join(area_text)))
            self._textarea = None
        elif tag == "form":
            self._form = None
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            closed = self._stack.pop()
            if self._hiding.pop():
                self._hidden_depth -= 1
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._select is not None:
            self._option_text.append(data)
        if self._textarea is not None:
            # a form's value, like an attribute: not text the page shows as its own
            self._textarea[1].append(data)
            return
        if self._hidden_depth == 0 and data.strip():
            self.texts.append(data.strip())


# ---------------------------------------------------------------------------------------------
# Internal codes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codes:
    """``anywhere``: codes that never read as words (an underscore or a dot inside), flagged
    wherever they appear in visible text; ``alone``: one-word codes whose label differs (``menunggu``
    for "Menunggu"), flagged only when a whole text node is the code (a table cell, a badge)."""

    anywhere: frozenset[str]
    alone: frozenset[str]


# One-word codes are also ordinary words ("kecamatan", "laporan"): only the values of these
# fields, the states and grades a page names with a label, count when a text node is exactly one.
ALONE_FIELDS = frozenset(
    {"status", "role", "outcome", "classification", "alert_level", "athg", "isu", "jenis"}
)


def internal_codes(extra: Iterable[str] = ()) -> Codes:
    """The choice values of the project's model fields that are not their own label."""
    anywhere: set[str] = set(extra)
    alone: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("waspada."):
            continue
        for model_field in model._meta.get_fields():
            for value, label in getattr(model_field, "flatchoices", None) or ():
                if not isinstance(value, str) or value == str(label):
                    continue
                if re.fullmatch(r"[a-z]+(?:[_.][a-z]+)+|[A-Z]+_[A-Z_]+", value):
                    anywhere.add(value)
                elif re.fullmatch(r"[a-z]{4,}", value) and model_field.name in ALONE_FIELDS:
                    alone.add(value)
    return Codes(anywhere=frozenset(anywhere), alone=frozenset(alone - anywhere))


@functools.lru_cache(maxsize=4)
def _pattern(anywhere: frozenset[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.-])("
        + "|".join(re.escape(c) for c in sorted(anywhere, key=len, reverse=True))
        + r")(?![\w-])"
    )


def codes_in(texts: list[str], codes: Codes) -> list[str]:
    """The internal codes shown in these visible text nodes, in order of first appearance."""
    found: list[str] = []
    pattern = _pattern(codes.anywhere)
    for text in texts:
        if text in codes.alone and text not in found:
            found.append(text)
        for match in pattern.finditer(text):
            if match.group(1) not in found:
                found.append(match.group(1))
    return found


# ---------------------------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One link or form target shown on ``page``, and what asking for it answered."""

    page: str
    link: str
    how: str  # "a", "img", "form GET", "form POST (GET)"
    status: int
    ended_at: str  # the path the redirects ended at
    error: str = ""  # the exception of a 500

    @property
    def broken(self) -> bool:
        return self.status in BAD_STATUSES or (
            self.ended_at.startswith(LOGIN_PATH) and not self.link.startswith(LOGIN_PATH)
        )

    def line(self, who: str) -> str:
        where = f" → {self.ended_at}" if self.ended_at != self.link else ""
        error = f" ({self.error})" if self.error else ""
        return f"{who}: {self.page} → [{self.how}] {self.link}{where}: {self.status}{error}"


@dataclass
class CrawlResult:
    hops: list[Hop] = field(default_factory=list)
    codes: dict[str, list[str]] = field(default_factory=dict)  # page → codes shown on it
    pages: int = 0  # requests made
    unchecked: int = 0  # distinct links left out by a bound
    forms: list[tuple[str, Form]] = field(default_factory=list)  # (page, form) for each form shown

    @property
    def broken(self) -> list[Hop]:
        return [hop for hop in self.hops if hop.broken]


@dataclass(frozen=True)
class _Answer:
    status: int
    ended_at: str
    html: str | None
    error: str


def _normalise(base: str, href: str) -> str | None:
    """The same-site path (with query) ``href`` on page ``base`` leads to, or None."""
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc not in ("testserver", ""):
        return None
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


def _route_key(path: str) -> tuple[str, str]:
    """(URL pattern, the object it names): links to the same pattern and object are one page."""
    try:
        match = resolve(path)
    except Resolver404:
        return ("?", path)
    return (match.route, repr(sorted(match.kwargs.items())))


class Crawler:
    def __init__(
        self,
        client: Client,
        *,
        codes: Codes,
        max_pages: int = 300,
        per_route: int = 20,
        queries_per_path: int = 3,
        skip: tuple[str, ...] = (),
        narrow: tuple[str, ...] = ("/admin/",),
    ) -> None:
        self.client = client
        self.codes = codes
        self.max_pages = max_pages
        self.per_route = per_route
        self.queries_per_path = queries_per_path
        # Under these prefixes (the admin: a page per model, object, sort order and filter) two
        # objects per pattern and one query string per path are enough to show a broken link.
        self.narrow = narrow
        self.skip = NEVER_FOLLOWED + tuple(skip) + (settings.STATIC_URL or "/static/",)
        self.result = CrawlResult()
        self._answers: dict[str, _Answer] = {}
        self._objects: dict[str, set[str]] = {}  # pattern → objects asked for
        self._queries: dict[str, set[str]] = {}  # path → query strings asked for
        self._left_out: set[str] = set()

    def _admit(self, url: str) -> str | None:
        """The URL to ask for ``url`` under the bounds (its query dropped when a path has had
        enough), or None when a bound leaves it out."""
        if url in self._answers:
            return url
        path, _, query = url.partition("?")
        narrow = path.startswith(self.narrow)
        per_route, queries_per_path = (2, 1) if narrow else (self.per_route, self.queries_per_path)
        if query:
            seen = self._queries.setdefault(path, set())
            if query not in seen and len(seen) >= queries_per_path:
                url, query = path, ""
                if url in self._answers:
                    return url
            else:
                seen.add(query)
        pattern, obj = _route_key(path)
        objects = self._objects.setdefault(pattern, set())
        if obj not in objects and len(objects) >= per_route:
            return None
        if len(self._answers) >= self.max_pages:
            return None
        objects.add(obj)
        return url

    def _ask(self, url: str) -> _Answer:
        answer = self._answers.get(url)
        if answer is not None:
            return answer
        response: Any = self.client.get(url, follow=True)
        self.result.pages += 1
        chain = getattr(response, "redirect_chain", [])
        ended = _normalise(url, chain[-1][0]) if chain else url
        error = ""
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            error = f"{exc_info[0].__name__}: {str(exc_info[1])[:200]}"
        html = None
        content_type = response.get("Content-Type", "")
        if not response.streaming and content_type.startswith("text/html") and response.status_code == 200:
            html = response.content.decode(response.charset or "utf-8", errors="replace")
        elif response.streaming:
            # Read to the end: the test client closes a streamed answer through its wrapper, which
            # keeps the database connection open (``response.close()`` here would close it).
            for _chunk in response.streaming_content:
                pass
        answer = _Answer(response.status_code, ended or url, html, error)
        self._answers[url] = answer
        if ended and ended != url:
            self._answers.setdefault(ended, answer)
        return answer

    def crawl(self, start: Iterable[str] = ("/",)) -> CrawlResult:
        queue: deque[str] = deque()
        for url in start:
            answer = self._ask(url)
            self.result.hops.append(Hop("(awal)", url, "a", answer.status, answer.ended_at, answer.error))
            queue.append(url)
        read: set[str] = set()
        while queue:
            url = queue.popleft()
            answer = self._answers[url]
            page = answer.ended_at
            if answer.html is None or page in read:
                continue
            read.add(page)
            reader = PageReader()
            reader.feed(answer.html)
            reader.close()
            self.result.forms.extend((page, form) for form in reader.forms)
            shown = codes_in(reader.texts, self.codes)
            if shown:
                self.result.codes[page] = shown
            for target, how in self._targets(page, reader):
                if target.startswith(self.skip):
                    continue
                admitted = self._admit(target)
                if admitted is None:
                    self._left_out.add(target)
                    continue
                first_time = admitted not in self._answers
                hop_answer = self._ask(admitted)
                self.result.hops.append(
                    Hop(page, admitted, how, hop_answer.status, hop_answer.ended_at, hop_answer.error)
                )
                if first_time and how in ("a", "form GET"):
                    queue.append(admitted)
        self.result.unchecked = len(self._left_out)
        return self.result

    def _targets(self, page: str, reader: PageReader) -> list[tuple[str, str]]:
        targets: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for href in reader.links:
            url = _normalise(page, href)
            if url is not None and (url, "a") not in seen:
                seen.add((url, "a"))
                targets.append((url, "a"))
        for src in reader.images:
            url = _normalise(page, src)
            if url is not None and (url, "img") not in seen:
                seen.add((url, "img"))
                targets.append((url, "img"))
        for form in reader.forms:
            if form.method == "dialog":
                continue
            action = _normalise(page, form.action or page.split("?")[0])
            if action is None:
                continue
            if form.method == "post":
                target, how = action, "form POST (GET)"
            else:
                values = list(form.fields) + ([form.submit] if form.submit else [])
                query = urlencode(values)
                target, how = action.split("?")[0] + (f"?{query}" if query else ""), "form GET"
            if (target, how) not in seen:
                seen.add((target, how))
                targets.append((target, how))
        return targets
