"""The reports rollup: how many reports there are per local day x region x isu x alert level x
status x classification (``ReportRollup``), kept in the same transaction as every change that
moves a count, so the pictures can add up a few thousand rows instead of millions of reports.

**The invariant.** For every bucket, ``ReportRollup.n`` equals the number of reports whose
``reported_at`` falls on that day in the installation's ``TIME_ZONE`` (``day``), whose own
``region_id`` is ``region`` (a village, or whatever level the report holds: an area's count is the
sum over the codes that start with its code), and whose ``isu``, ``alert_level``, ``status`` and
``classification`` are those of the bucket. Buckets that fall to 0 stay as rows of 0 (deleting them
would race with a concurrent +1 on PostgreSQL); ``rebuild`` drops them. ``waspada rebuild_rollups
--check`` compares the table with a direct count.

**Why it is exact.** A count moves only with an UPSERT (``INSERT … ON CONFLICT … DO UPDATE SET n =
n + excluded.n``), which adds to the row under its lock, so two transactions moving the same bucket
both land (recomputing a bucket from the reports would lose one of them under READ COMMITTED).
Every way a report row is written goes through one of the methods below, each inside the writer's
transaction (``transaction.atomic(savepoint=False)``: the writer's own when there is one), so a
change and its count commit or roll back together:

- ``Report.save()``: an insert adds +1 to the bucket of the values written (the row did not
  exist, so nothing to take away). An update that writes a key field (``update_fields`` None or
  naming one) first reads the row's stored key under ``SELECT … FOR UPDATE``, then writes, then
  moves -1 from the stored bucket and +1 to the written one (fields left out of
  ``update_fields`` keep their stored values). The stored key, not a snapshot taken when the
  instance was loaded: an instance loaded before another transaction changed the row would
  otherwise take its -1 from a bucket the row has left. An update of other fields only
  (casualties, the point, the incident) costs nothing here.
- ``Report.delete()``: the stored key read under the lock, -1 after the delete.
- ``ReportQuerySet.update()`` of a key field and ``delete()``: the rows are locked and listed by
  primary key, then in chunks: -1 for the chunk's current buckets
  (grouped in SQL), the write, +1 for the chunk's new buckets (grouped again, so an ``F()``
  expression or a database default lands where the database put it). Other updates (an incident
  merge or split moves ``incident`` only) pass straight through.
  ``bulk_update()`` is Django's: it writes each batch through ``update()``, so through the above.
- ``ReportQuerySet.bulk_create()``: +1 per created report, grouped, in one statement per batch;
  ``ignore_conflicts`` and ``update_conflicts`` are refused (which rows were written is unknown).
- Raw SQL that writes reports (the synthetic benchmark's ``COPY``) calls ``rebuild`` after it.

No foreign key cascades into reports (every key of ``Report`` is ``PROTECT``), so nothing else
deletes them. A backup holds the table with the reports from one snapshot, so a restore is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connections, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from waspada.lib.dates import as_date

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

# The report's fields that decide its bucket (attribute names), in the rollup's column order.
KEY_FIELDS = ("reported_at", "region_id", "isu", "alert_level", "status", "classification")
# The rollup's columns for them, and the conflict target of every move.
COLUMNS = ("day", "region", "isu", "alert_level", "status", "classification")
CHUNK = 500  # primary keys per statement when a queryset write moves counts

Bucket = tuple[Any, ...]  # (day, region, isu, alert_level, status, classification)


def local_day(moment: datetime) -> date:
    """The day of ``moment`` in the installation's time zone (what ``TruncDate`` gives in SQL)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def bucket_of(values: Mapping[str, Any]) -> Bucket:
    """The bucket of a report's key values (``KEY_FIELDS`` → value)."""
    return (
        local_day(values["reported_at"]),
        values["region_id"],
        values["isu"],
        values["alert_level"],
        values["status"],
        values["classification"],
    )


def _rollup_table(rollup: type[Model] | None = None) -> str:
    if rollup is None:
        from waspada.reports.models import ReportRollup

        rollup = ReportRollup
    return rollup._meta.db_table


def _upsert_tail(table: str) -> str:
    return f"ON CONFLICT ({', '.join(COLUMNS)}) DO UPDATE SET n = {table}.n + excluded.n"


def move(moves: Mapping[Bucket, int], *, using: str = "default") -> None:
    """Add ``n`` to each bucket's count (negative to take away): one statement per ``CHUNK``
    buckets (a report's save moves one or two)."""
    # In bucket order, as ``move_rows``: two writers lock the buckets they share in one order.
    rows = sorted((bucket, n) for bucket, n in moves.items() if n)
    connection = connections[using]
    table = _rollup_table()
    for chunk in chunks(rows):
        marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for (day, *rest), n in chunk:
            params += [connection.ops.adapt_datefield_value(day), *rest, n]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(COLUMNS)}, n) VALUES {marks} {_upsert_tail(table)}",  # noqa: S608
                params,
            )


def grouped(reports: QuerySet[Any]) -> QuerySet[Any]:
    """``reports`` counted by bucket: (day, region, isu, alert_level, status, classification, n)."""
    return (
        reports.order_by()
        .annotate(rollup_day=TruncDate("reported_at", tzinfo=timezone.get_default_timezone()))
        .values_list("rollup_day", *KEY_FIELDS[1:])
        .annotate(rollup_n=Count("pk"))
    )


def _select_grouped(reports: QuerySet[Any], sign: int) -> tuple[str, tuple[Any, ...]]:
    """A SELECT of ``reports``' buckets with ``sign`` times their counts, in the rollup's column order
    (the inner query's column order is Django's: fields, then annotations)."""
    sql, params = grouped(reports).query.sql_with_params()
    columns = ", ".join(f"moved.{name}" for name in ("rollup_day", *KEY_FIELDS[1:]))
    select = f"SELECT {columns}, {int(sign)} * moved.rollup_n FROM ({sql}) moved WHERE 1 = 1"  # noqa: S608
    return f"{select} ORDER BY 1, 2, 3, 4, 5, 6", params


def move_rows(reports: QuerySet[Any], sign: int) -> None:
    """Add ``sign`` (+1 or -1) for each report of ``reports`` to its bucket, in one statement."""
    table = _rollup_table()
    select, params = _select_grouped(reports, sign)
    with connections[reports.db].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}, n) {select} {_upsert_tail(table)}",
            params,
        )


def stored_bucket(model: type[Model], pk: Any, *, using: str) -> Bucket | None:
    """The bucket of the row ``pk`` as stored, locked until the transaction ends (None: no row)."""
    row = model._default_manager.using(using).select_for_update().filter(pk=pk).values(*KEY_FIELDS).first()
    return None if row is None else bucket_of(row)


def count_created(objs: Iterable[Model], *, using: str) -> None:
    """+1 for each of ``objs`` (just inserted, values in hand)."""
    move(Counter(bucket_of({name: getattr(obj, name) for name in KEY_FIELDS}) for obj in objs), using=using)


def chunks(ids: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rebuild(
    *, using: str = "default", report: type[Model] | None = None, rollup: type[Model] | None = None
) -> int:
    """Recount the whole table from the reports in one transaction; returns the buckets written.

    On PostgreSQL the reports are locked against writes (readers go on) while it runs, so no
    change can slip between the emptying and the count."""
    if report is None:
        from waspada.reports.models import Report

        report = Report
    table = _rollup_table(rollup)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {report._meta.db_table} IN SHARE MODE")
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        select, params = _select_grouped(report._default_manager.using(using).all(), 1)
        cursor.execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}, n) {select}", params)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def direct_counts(*, using: str = "default") -> dict[Bucket, int]:
    """Every bucket's count straight from the reports."""
    from waspada.reports.models import Report

    return {(as_date(day), *rest): n for day, *rest, n in grouped(Report.objects.using(using).all())}


def rollup_counts(*, using: str = "default") -> dict[Bucket, int]:
    """Every non-zero bucket of the rollup."""
    from waspada.reports.models import ReportRollup

    rows = ReportRollup.objects.using(using).exclude(n=0).values_list(*COLUMNS, "n")
    return {(as_date(day), *rest): n for day, *rest, n in rows}


def differences(*, using: str = "default") -> dict[Bucket, tuple[int, int]]:
    """The buckets whose rollup count differs from the direct count: bucket → (rollup, direct)."""
    connection = connections[using]
    fresh = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if fresh and connection.vendor == "postgresql":  # both counts from one snapshot
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        kept = rollup_counts(using=using)
        direct = direct_counts(using=using)
    return {
        bucket: (kept.get(bucket, 0), direct.get(bucket, 0))
        for bucket in kept.keys() | direct.keys()
        if kept.get(bucket, 0) != direct.get(bucket, 0)
    }
