"""The streaming import: records → the index, one transaction per file, in bulk.

For each file: its previous links and quarantine are dropped, its activities are read in
batches (`BATCH`), each batch upserted on the identifier (one activity per identifier, whatever
the number of files that hold it; the last file read gives the content), its places replaced,
its link to the file written; activities that only this file held and that it no longer holds
are deleted. PostgreSQL writes with `COPY` (a temporary table, then one `INSERT … ON CONFLICT`);
SQLite with `bulk_create` in big batches. Never one ORM save per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import connection, transaction
from lxml import etree

from reciproca.pooling.iati import Item, Record, UnsafeFile, read_activities
from reciproca.pooling.models import (
    Activity,
    ActivityPlace,
    ActivitySource,
    ActorKind,
    Origin,
    Quarantine,
    SourceFile,
)
from reciproca.pooling.resolve import Resolver
from reciproca.pooling.sources import Source

BATCH = 5000
FRENCH_PREFIX = "FR-"
LOCAL_GOVERNMENT = "11"

ACTIVITY_FIELDS = [
    "identifier",
    "origin",
    "title",
    "publisher",
    "reporting_org_ref",
    "reporting_org_name",
    "reporting_org_type",
    "actor_kind",
    "participating_orgs",
    "countries",
    "regions",
    "sectors",
    "sdg_goals",
    "sdg_targets",
    "themes",
    "start_date",
    "end_date",
    "status",
    "amounts",
    "amount",
    "currency",
    "contact",
    "partner_authority",
]
JSON_FIELDS = {"participating_orgs", "sectors", "amounts"}
PLACE_FIELDS = ["activity_id", "kind", "how", "code", "territory_id", "latitude", "longitude"]


@dataclass
class FileResult:
    key: str
    activities: int = 0
    quarantined: int = 0
    error: str = ""
    refused: bool = False
    version: str = ""
    size: int = 0


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)

    @property
    def activities(self) -> int:
        return sum(f.activities for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    @property
    def bytes(self) -> int:
        return sum(f.size for f in self.files)


def actor_kind(ref: str, org_type: str) -> int:
    if ref.upper().startswith(FRENCH_PREFIX):
        if org_type == LOCAL_GOVERNMENT:
            return ActorKind.FRENCH_AUTHORITY
        return ActorKind.FRENCH_ACTOR
    return ActorKind.OTHER


def _amounts(record: Record) -> dict[str, dict[str, str]]:
    return {
        kind: {cur: str(value) for cur, value in by_currency.items()}
        for kind, by_currency in record.amounts.items()
    }


def activity_values(record: Record, origin: str) -> dict[str, Any]:
    amount, currency = record.main_amount()
    return {
        "identifier": record.identifier,
        "origin": origin,
        "title": record.title,
        "publisher": record.reporting_org_ref,
        "reporting_org_ref": record.reporting_org_ref,
        "reporting_org_name": record.reporting_org_name,
        "reporting_org_type": record.reporting_org_type,
        "actor_kind": record.actor_kind
        if record.actor_kind is not None
        else actor_kind(record.reporting_org_ref, record.reporting_org_type),
        "participating_orgs": record.participating_orgs,
        "countries": ",".join(dict.fromkeys(record.countries))[:255],
        "regions": ",".join(dict.fromkeys(record.regions))[:255],
        "sectors": record.sectors[:100],
        "sdg_goals": ",".join(sorted(record.sdg_goals, key=int))[:100],
        "sdg_targets": ",".join(sorted(record.sdg_targets))[:500],
        "themes": record.themes,
        "start_date": record.start_date,
        "end_date": record.end_date,
        "status": record.status,
        "amounts": _amounts(record),
        "amount": amount.quantize(Decimal("0.01")) if amount is not None else None,
        "currency": currency,
        "contact": record.contact,
        "partner_authority": record.partner_authority,
    }


class _Writer:
    """The bulk writes of one database engine, inside the file's transaction."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.temp_ready = False

    def upsert_activities(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        if self.postgres:
            return self._upsert_pg(rows)
        table = Activity._meta.db_table
        updates = ", ".join(f"{f} = excluded.{f}" for f in ACTIVITY_FIELDS if f != "identifier")
        sql = (
            f"INSERT INTO {table} ({', '.join(ACTIVITY_FIELDS)}) "  # noqa: S608 (names from the model)
            f"VALUES ({', '.join('%s' for _ in ACTIVITY_FIELDS)}) "
            f"ON CONFLICT (identifier) DO UPDATE SET {updates}"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [_sqlite_row(row) for row in rows])
        identifiers = [row["identifier"] for row in rows]
        ids: dict[str, int] = {}
        for start in range(0, len(identifiers), 900):
            ids.update(
                Activity.objects.filter(
                    identifier__in=identifiers[start : start + 900]
                ).values_list("identifier", "id")
            )
        return ids

    def _upsert_pg(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        table = Activity._meta.db_table
        columns = ", ".join(ACTIVITY_FIELDS)
        with connection.cursor() as cursor:
            if not self.temp_ready:
                # dropped at commit; within an enclosing transaction (several files, tests) it
                # is already there: emptied and reused
                cursor.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS pooling_activity_in "
                    f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
                )
                cursor.execute("ALTER TABLE pooling_activity_in DROP COLUMN IF EXISTS id")
                self.temp_ready = True
            cursor.execute("TRUNCATE pooling_activity_in")
            with cursor.cursor.copy(f"COPY pooling_activity_in ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row[f], ensure_ascii=False) if f in JSON_FIELDS else row[f]
                            for f in ACTIVITY_FIELDS
                        ]
                    )
            updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in ACTIVITY_FIELDS if f != "identifier")
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM pooling_activity_in "  # noqa: S608 (names from the model)
                f"ON CONFLICT (identifier) DO UPDATE SET {updates} RETURNING identifier, id"
            )
            return dict(cursor.fetchall())

    def replace_places(self, ids: list[int], places: list[tuple[Any, ...]]) -> None:
        for start in range(0, len(ids), 900):
            ActivityPlace.objects.filter(activity_id__in=ids[start : start + 900])._raw_delete(
                ActivityPlace.objects.db
            )
        if self.postgres:
            table = ActivityPlace._meta.db_table
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({', '.join(PLACE_FIELDS)}) FROM STDIN") as copy,
            ):
                for row in places:
                    copy.write_row(row)
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ActivityPlace._meta.db_table} ({', '.join(PLACE_FIELDS)}) "  # noqa: S608 (names from the model)
                f"VALUES ({', '.join('%s' for _ in PLACE_FIELDS)})",
                places,
            )

    def link_sources(self, file_id: int, ids: list[int]) -> None:
        if self.postgres:
            table = ActivitySource._meta.db_table
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    f"COPY {table} (activity_id, source_file_id) FROM STDIN"
                ) as copy,
            ):
                for pk in ids:
                    copy.write_row((pk, file_id))
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ActivitySource._meta.db_table} (activity_id, source_file_id) "  # noqa: S608 (names from the model)
                "VALUES (%s, %s)",
                [(pk, file_id) for pk in ids],
            )


class _Guarded:
    """The items until the first XML syntax error, which is kept: what was read is written."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.items = items
        self.error: etree.XMLSyntaxError | None = None

    def __iter__(self) -> Iterator[Item]:
        try:
            yield from self.items
        except etree.XMLSyntaxError as error:
            self.error = error


def _sqlite_row(row: dict[str, Any]) -> list[Any]:
    values = []
    for f in ACTIVITY_FIELDS:
        value = row[f]
        if f in JSON_FIELDS:
            value = json.dumps(value, ensure_ascii=False)
        elif f == "amount" and value is not None:
            value = str(value)
        elif f in ("start_date", "end_date") and value is not None:
            value = value.isoformat()
        values.append(value)
    return values


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def write_items(
    *,
    key: str,
    origin: str,
    items: Iterable[Item],
    resolver: Resolver,
    finish: Callable[[], dict[str, Any]] | None = None,
) -> FileResult:
    """One file's items into the index, in one transaction. `finish()` returns the file's
    sha256/size/version once read. A syntax error keeps what was read before it and is
    recorded; an unsafe file (a DTD) is refused whole and nothing of it is kept."""
    result = FileResult(key=key)
    with transaction.atomic():
        source_file, _ = SourceFile.objects.get_or_create(key=key, defaults={"origin": origin})
        old_ids = set(
            ActivitySource.objects.filter(source_file=source_file).values_list(
                "activity_id", flat=True
            )
        )
        ActivitySource.objects.filter(source_file=source_file)._raw_delete(SourceFile.objects.db)
        Quarantine.objects.filter(source_file=source_file)._raw_delete(SourceFile.objects.db)
        writer = _Writer()
        seen: dict[str, int] = {}
        kept: set[int] = set()
        quarantine: list[Quarantine] = []
        guarded = _Guarded(items)
        try:
            for batch in _batches(guarded, BATCH):
                rows: list[dict[str, Any]] = []
                records: list[Record] = []
                for item in batch:
                    record = item.record
                    if record is None:
                        quarantine.append(
                            Quarantine(
                                source_file=source_file,
                                identifier=item.identifier,
                                position=item.position,
                                line=item.line,
                                reason=item.reason,
                            )
                        )
                        continue
                    if record.identifier in seen:
                        quarantine.append(
                            Quarantine(
                                source_file=source_file,
                                identifier=record.identifier,
                                position=item.position,
                                line=item.line,
                                reason=(
                                    f"identifiant en double dans le fichier (déjà au rang "
                                    f"{seen[record.identifier]})"
                                ),
                            )
                        )
                        continue
                    seen[record.identifier] = item.position
                    rows.append(activity_values(record, origin))
                    records.append(record)
                if not rows:
                    continue
                ids = writer.upsert_activities(rows)
                places = [
                    (ids[record.identifier], *place)
                    for record in records
                    for place in resolver.places(record)
                ]
                batch_ids = [ids[record.identifier] for record in records]
                writer.replace_places(batch_ids, places)
                writer.link_sources(source_file.pk, batch_ids)
                kept.update(batch_ids)
        except UnsafeFile as error:
            transaction.set_rollback(True)
            result.refused = True
            result.error = str(error)
            return result
        if guarded.error is not None:
            result.error = f"XML mal formé, lecture arrêtée : {guarded.error}"
        Quarantine.objects.bulk_create(quarantine, batch_size=2000)
        orphans = list(old_ids - kept)
        for start in range(0, len(orphans), 900):
            Activity.objects.filter(
                pk__in=orphans[start : start + 900], sources__isnull=True
            ).delete()
        info = finish() if finish else {}
        result.activities = len(kept)
        result.quarantined = len(quarantine)
        result.version = info.get("version", "")
        result.size = info.get("size", 0)
        SourceFile.objects.filter(pk=source_file.pk).update(
            origin=origin,
            sha256=info.get("sha256", ""),
            size=result.size,
            version=result.version,
            activity_count=result.activities,
            quarantined_count=result.quarantined,
            error=result.error,
        )
    return result


def ingest_source(source: Source, resolver: Resolver) -> FileResult:
    info: dict[str, str] = {}

    def finish() -> dict[str, Any]:
        # read what the parser left (a trailing newline), so the hash is the whole file's
        while source.stream.read(1 << 20):
            pass
        return {
            "sha256": source.stream.digest.hexdigest(),
            "size": source.stream.count,
            "version": info.get("version", ""),
        }

    return write_items(
        key=source.key,
        origin=Origin.IATI,
        items=read_activities(source.stream, info),  # type: ignore[arg-type]
        resolver=resolver,
        finish=finish,
    )


def ingest(
    sources: Iterable[Source], *, progress: Callable[[FileResult], None] | None = None
) -> RunResult:
    resolver = Resolver()
    run = RunResult()
    for source in sources:
        result = ingest_source(source, resolver)
        run.files.append(result)
        if progress:
            progress(result)
    return run


# --- a reading process beside the writing one ---------------------------------------------
#
# Parsing and mapping (pure Python over lxml, `iati.py`) and the database writes take about as
# long as each other; a second process reads and maps while this one writes. The queue holds a
# few batches only, so memory stays flat whatever the size of the files.

QUEUE_BATCHES = 8


def ingest_parallel(
    paths: list[Any], *, progress: Callable[[FileResult], None] | None = None
) -> RunResult:
    """Like `ingest(iter_sources(paths))`, with the reading in a second process."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=QUEUE_BATCHES)
    from reciproca.pooling.reader import produce

    process = context.Process(target=produce, args=([str(p) for p in paths], queue), daemon=True)
    process.start()
    resolver = Resolver()
    run = RunResult()
    try:
        while True:
            kind, payload = queue.get()
            if kind == "done":
                break
            if kind == "failed":
                raise RuntimeError(payload)
            assert kind == "start", kind
            key = payload
            info: dict[str, Any] = {}

            def items(info: dict[str, Any] = info) -> Iterator[Item]:
                while True:
                    kind, payload = queue.get()
                    if kind == "items":
                        yield from payload
                    elif kind in ("unsafe", "syntax"):
                        end_kind, end = queue.get()  # the file's end marker follows
                        assert end_kind == "end", end_kind
                        info.update(end)
                        if kind == "unsafe":
                            raise UnsafeFile(payload)
                        raise etree.XMLSyntaxError(payload, 0, 0, 0)  # type: ignore[call-arg,arg-type]
                    elif kind == "end":
                        info.update(payload)
                        return
                    elif kind == "failed":
                        raise RuntimeError(payload)

            result = write_items(
                key=key,
                origin=Origin.IATI,
                items=items(),
                resolver=resolver,
                finish=lambda info=info: info,  # type: ignore[misc]
            )
            if result.refused and not result.size:
                result.size = int(info.get("size", 0))
            run.files.append(result)
            if progress:
                progress(result)
    finally:
        process.join(timeout=5)
        if process.is_alive():
            process.terminate()
    return run
