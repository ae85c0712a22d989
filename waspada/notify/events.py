"""Emitting notification events: the one entry point other apps call.

``emit()`` writes the ``Event`` row and the worker's task that fans it out in the caller's
transaction (so a rolled-back change leaves neither, and a committed one is never lost). The
worker sees the task only once the transaction commits: nothing is sent before.

The helpers ``report_event`` and ``disposition_event`` are what the reports and response actions
call; an early-detection signal calls ``emit`` directly with the forums (or people) to tell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from waspada.lib.taxonomy import AlertLevel, Classification
from waspada.notify.models import Event

if TYPE_CHECKING:
    from waspada.forums.models import Forum
    from waspada.people.models import Person
    from waspada.reports.models import Report
    from waspada.response.models import Disposition


class Kind:
    REPORT_SUBMITTED = "report.submitted"
    REPORT_VERIFIED = "report.verified"
    REPORT_REJECTED = "report.rejected"
    VERIFICATION_LATE = "report.verification_late"
    DISPOSITION_CREATED = "disposition.created"
    DISPOSITION_ACKNOWLEDGED = "disposition.acknowledged"
    DISPOSITION_ACTION = "disposition.action"
    DISPOSITION_CLOSED = "disposition.closed"
    DISPOSITION_ASSIGNED = "disposition.assigned"
    DEADLINE_NEAR = "disposition.deadline_near"
    ESCALATED = "disposition.escalated"
    SIGNAL = "signal.detected"
    BRIEF_READY = "brief.ready"
    BRIEF_RELEASED = "brief.released"  # a regency released its Lapsit: the province TKD's seniors
    BRIEF_RE_RELEASED = "brief.re_released"  # ... released it again, replacing the earlier one
    BRIEF_PROVINCE = "brief.province"  # the province Lapsit sent to the Gubernur's Forkopimda
    LAPSIT_SUBMITTED = "lapsit.submitted"  # a draft waits for the head of Kesbangpol's approval
    LAPSIT_APPROVED = "lapsit.approved"  # ... he approved it: its analyst is told
    LAPSIT_RETURNED = "lapsit.returned"  # ... he sent it back to its analyst, with his note
    LOGIN_FAILURES = "account.login_failures"  # someone guesses the person's password (security)
    WHATSAPP_GROUP_INVITE = "chat.whatsapp_group_invite"  # a group's invite link, to one member


# The reporter is told when their report is received, verified or rejected, acted on (the steps a
# forum shares with her) and closed.
REPORTER_KINDS = frozenset(
    {
        Kind.REPORT_SUBMITTED,
        Kind.REPORT_VERIFIED,
        Kind.REPORT_REJECTED,
        Kind.DISPOSITION_ACTION,
        Kind.DISPOSITION_CLOSED,
    }
)


# Notices addressed by name to the people whose desk they are for (not alerts about a place): they
# go by each person's channels whatever the channel's minimum level (an "off" channel stays off,
# quiet hours still hold them back), as the province's TKD and Forkopimda expect (docs/province.md).
ADDRESSED_KINDS = frozenset(
    {
        Kind.BRIEF_RELEASED,
        Kind.BRIEF_RE_RELEASED,
        Kind.BRIEF_PROVINCE,
        Kind.LAPSIT_SUBMITTED,
        Kind.LAPSIT_APPROVED,
        Kind.LAPSIT_RETURNED,
        Kind.WHATSAPP_GROUP_INVITE,
    }
)


# Notices about a situation report, not an alert about a place: their stored level (normal) is
# only what the channels need; the notification centre shows them without a level badge.
UNLEVELLED_KINDS = ADDRESSED_KINDS | {Kind.BRIEF_READY}


def emit(
    kind: str,
    *,
    level: str,
    title: str,
    body: str = "",
    report: Report | None = None,
    disposition: Disposition | None = None,
    forums: Iterable[Forum | int] = (),
    persons: Iterable[Person] = (),
    tell_reporter: bool = False,
    classification: str = Classification.BIASA,
    url: str = "",
    dedupe_key: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> Event | None:
    """Record an event and queue its fan-out, both in the caller's transaction (so after commit).

    Recipients are the current members of ``forums`` (forums or their ids), the ``persons``
    named, and the report's reporter when ``tell_reporter``; each is kept only if they may see
    the report (when there is one). ``dedupe_key`` makes a repeated emit (a periodic check
    running twice) a no-op: returns None then. ``params`` are what ``notify/texts.py`` renders
    the title and body from in each reader's language (``title`` and ``body`` are the Indonesian
    rendering, kept as the fallback). Preconditions: ``level`` is an alert level; never put an
    informant's identity in ``title``, ``body`` or ``params``.
    """
    if level not in AlertLevel.values:
        raise ValueError(f"unknown alert level {level!r}")
    if report is not None:
        classification = report.classification
    fields = {
        "kind": kind,
        "level": level,
        "classification": classification,
        "title": title[:300],
        "body": body,
        "params": dict(params or {}),
        "report": report,
        "disposition": disposition,
        "tell_reporter": tell_reporter,
        "url": url,
        "dedupe_key": dedupe_key,
    }
    forum_ids = {forum if isinstance(forum, int) else forum.pk for forum in forums}
    person_ids = {person.pk for person in persons}
    if dedupe_key is None and not person_ids and _one_statement_possible():
        # Every report filed comes here: on PostgreSQL the event, its forums and the worker's
        # task row are one statement (docs/benchmarks.md, intake).
        return _emit_in_one_statement(fields, sorted(forum_ids))
    if dedupe_key is None:
        # Nothing can collide: no savepoint (two round trips fewer on the intake path).
        event = Event.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                event = Event.objects.create(**fields)
        except IntegrityError:
            return None
    # Straight into the link tables: the event is new, so there is nothing to compare against.
    if forum_ids:
        Event.forums.through.objects.bulk_create(
            [Event.forums.through(event_id=event.pk, forum_id=pk) for pk in sorted(forum_ids)]
        )
    if person_ids:
        Event.persons.through.objects.bulk_create(
            [Event.persons.through(event_id=event.pk, person_id=pk) for pk in sorted(person_ids)]
        )
    # The worker's task row is written in the caller's transaction, beside the event: the worker
    # sees both only once it commits, and a rollback removes both. One commit per report filed,
    # not a second one for the queue (docs/benchmarks.md).
    _queue(event.pk)
    return event


def _queue(event_id: int) -> None:
    from waspada.notify.tasks import process_event

    process_event.enqueue(event_id)


def _one_statement_possible() -> bool:
    """Whether events and their task rows live in one PostgreSQL database, queued by
    django_tasks_db's backend (so ``_emit_in_one_statement`` writes what ``_queue`` would)."""
    from django.db import connections, router
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from waspada.notify.tasks import process_event

    alias = router.db_for_write(Event)
    return (
        connections[alias].vendor == "postgresql"
        and isinstance(process_event.get_backend(), DatabaseBackend)
        and router.db_for_write(DBTaskResult) == alias
    )


def _emit_in_one_statement(fields: dict[str, Any], forum_ids: list[int]) -> Event:
    """Insert the event, its forum links and the fan-out task row (as ``process_event.enqueue``
    makes it, its arguments the new event's id) in one statement, in the caller's transaction.
    The values are prepared by the models' own fields, as ``Model.objects.create`` would."""
    from django.db import connections, router
    from django_tasks_db.models import DBTaskResult

    from waspada.notify.tasks import process_event

    alias = router.db_for_write(Event)
    connection = connections[alias]
    event = Event(**fields)
    event_fields = [f for f in Event._meta.concrete_fields if not f.primary_key]
    backend: Any = process_event.get_backend()  # a DatabaseBackend (_one_statement_possible)
    task_row: Any = DBTaskResult(
        id=backend._get_id(),
        args_kwargs={"args": [0], "kwargs": {}},
        priority=process_event.priority,
        task_path=process_event.module_path,
        queue_name=process_event.queue_name,
        run_after=process_event.run_after,  # type: ignore[misc]  # None: its pre_save sets the far future
        backend_name=backend.alias,
    )
    task_fields = [f for f in DBTaskResult._meta.concrete_fields if f.name != "args_kwargs"]

    def prepared(obj: Any, chosen: list[Any]) -> list[Any]:
        return [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in chosen]

    def listed(chosen: list[Any]) -> str:
        return ", ".join(f'"{f.column}"' for f in chosen)

    def marks(chosen: list[Any]) -> str:
        return ", ".join(["%s"] * len(chosen))

    links = Event.forums.through._meta
    link_event = links.get_field("event").column
    link_forum = links.get_field("forum").column
    sql = (
        f"WITH new_event AS (INSERT INTO {Event._meta.db_table} ({listed(event_fields)}) "  # noqa: S608 - names from the models
        f'VALUES ({marks(event_fields)}) RETURNING "id"), '
        f'linked AS (INSERT INTO {links.db_table} ("{link_event}", "{link_forum}") '
        "SELECT new_event.id, forum FROM new_event, unnest(%s::bigint[]) AS forum), "
        f'queued AS (INSERT INTO {DBTaskResult._meta.db_table} ({listed(task_fields)}, "args_kwargs") '
        f"SELECT {marks(task_fields)}, jsonb_build_object('args', jsonb_build_array(new_event.id), "
        "'kwargs', '{}'::jsonb) FROM new_event) "
        "SELECT id FROM new_event"
    )
    # The models' save signals, as create() sends them (django_tasks_db's sets run_after).
    for obj in (event, task_row):
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=alias, update_fields=None)
    params = [*prepared(event, event_fields), forum_ids, *prepared(task_row, task_fields)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (event.pk,) = cursor.fetchone()
    task_row.args_kwargs = {"args": [event.pk], "kwargs": {}}
    for obj in (event, task_row):
        obj._state.adding = False
        obj._state.db = alias
        post_save.send(
            sender=type(obj), instance=obj, created=True, raw=False, using=alias, update_fields=None
        )
    return event


def _report_url(report: Report) -> str:
    return reverse("reports:detail", args=[report.reference])


def _tkd_forums(region_code: str) -> list[int]:
    """The ids of the deciding TKD of ``region_code`` (the TKD whose jurisdiction holds it most
    closely: Paser's for a place in Paser, not the province's): it receives every report there and
    is told of it. A province TKD reads its regencies' reports in its roll-up, unannounced."""
    from waspada.forums.models import Forum

    return Forum.objects.deciding_tkd_ids(region_code)


def _report_params(report: Report) -> dict[str, Any]:
    return {"reference": report.reference, "report_title": report.title[:200]}


def report_event(kind: str, report: Report, note: str = "") -> Event | None:
    """A report was received, verified or rejected (``note``: the reason): tell its reporter and
    the TKD that receives it."""
    from waspada.notify.texts import indonesian_title

    tkd = _tkd_forums(report.region_id)
    params = _report_params(report)
    return emit(
        kind,
        level=report.alert_level,
        title=indonesian_title(kind, params),
        body=note[:2000],
        report=report,
        forums=tkd,
        tell_reporter=True,
        url=_report_url(report),
        params=params,
    )


def disposition_event(
    kind: str,
    disposition: Disposition,
    note: str = "",
    *,
    tell_reporter: bool | None = None,
    note_key: str = "",
    note_params: Mapping[str, Any] | None = None,
    persons: Iterable[Person] = (),
    tell_tkd: bool = True,
) -> Event | None:
    """A disposition was made, acknowledged, acted on, closed, assigned, escalated or is nearly due.

    The forum is told, and (unless ``tell_tkd`` is false) the TKD of its region for escalations,
    deadlines and closures; an assignment is told to the ``persons`` assigned only.
    ``note`` is the body as written (a person's words, or the Indonesian rendering of a system
    text whose ``note_key`` and ``note_params`` let each reader get it in their language).
    ``tell_reporter`` overrides whether the reporter hears of it (default: ``REPORTER_KINDS``).
    The stored link is the disposition page; a reader who may not open it (the reporter) is sent
    to the report instead (``notify/texts.py: link_for``).
    """
    from waspada.notify.texts import indonesian_title

    report = disposition.report
    forum = disposition.forum
    forums: list[Forum | int] = [] if kind == Kind.DISPOSITION_ASSIGNED else [forum]
    if tell_tkd and kind in (Kind.ESCALATED, Kind.DEADLINE_NEAR, Kind.DISPOSITION_CLOSED):
        forums += [tkd for tkd in _tkd_forums(report.region_id) if tkd != forum.pk]
    params = {**_report_params(report), "forum": forum.name}
    if note_key:
        params["body_key"] = note_key
        params["body_params"] = dict(note_params or {})
    return emit(
        kind,
        level=report.alert_level,
        title=indonesian_title(kind, params),
        body=note[:2000],
        report=report,
        disposition=disposition,
        forums=forums,
        persons=persons,
        tell_reporter=kind in REPORTER_KINDS if tell_reporter is None else tell_reporter,
        url=reverse("response:detail", args=[disposition.pk]),
        dedupe_key=f"{kind}:{disposition.pk}:{disposition.due_at:%Y%m%d%H%M}"
        if kind == Kind.DEADLINE_NEAR and disposition.due_at
        else None,
        params=params,
    )
