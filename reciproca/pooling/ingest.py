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
from django.utils import timezone
from lxml import etree

from reciproca.pooling.iati import Item, Record, UnsafeFile, read_activities
from reciproca.pooling.models import (
    Activity,
    ActivityPlace,
    ActivitySource,
    ActorKind,
    Coordination,
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


# One encoder, built once: `json.dumps(..., ensure_ascii=False)` builds one per call.
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
CENT = Decimal("0.01")


def activity_row(record: Record, origin: str) -> tuple[Any, ...]:
    """The record's columns in `ACTIVITY_FIELDS` order, its JSON columns already encoded."""
    amount, currency = record.main_amount()
    return (
        record.identifier,
        origin,
        record.title,
        record.reporting_org_ref,
        record.reporting_org_ref,
        record.reporting_org_name,
        record.reporting_org_type,
        record.actor_kind
        if record.actor_kind is not None
        else actor_kind(record.reporting_org_ref, record.reporting_org_type),
        _to_json(record.participating_orgs),
        ",".join(dict.fromkeys(record.countries))[:255],
        ",".join(dict.fromkeys(record.regions))[:255],
        _to_json(record.sectors[:100]),
        ",".join(sorted(record.sdg_goals, key=int))[:100],
        ",".join(sorted(record.sdg_targets))[:500],
        record.themes,
        record.start_date,
        record.end_date,
        record.status,
        _to_json(_amounts(record)),
        amount.quantize(CENT) if amount is not None else None,
        currency,
        record.contact,
        record.partner_authority,
    )


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    start, end, amount = row[START_AT], row[END_AT], row[AMOUNT_AT]
    return (
        *row[:START_AT],
        start.isoformat() if start is not None else None,
        end.isoformat() if end is not None else None,
        *row[END_AT + 1 : AMOUNT_AT],
        str(amount) if amount is not None else None,
        *row[AMOUNT_AT + 1 :],
    )


START_AT = ACTIVITY_FIELDS.index("start_date")
END_AT = ACTIVITY_FIELDS.index("end_date")
AMOUNT_AT = ACTIVITY_FIELDS.index("amount")
assert END_AT == START_AT + 1 and AMOUNT_AT > END_AT  # the row layout above

_ACTIVITY = Activity._meta.db_table
_PLACE = ActivityPlace._meta.db_table
_SOURCE = ActivitySource._meta.db_table
_QUARANTINE = Quarantine._meta.db_table
_SOURCE_FILE = SourceFile._meta.db_table
_COORDINATION = Coordination._meta.db_table
_COLUMNS = ", ".join(ACTIVITY_FIELDS)
_UPDATES = ", ".join(f"{f} = excluded.{f}" for f in ACTIVITY_FIELDS if f != "identifier")
# names from the models, no user input in any of these statements
_PG_TEMP = (
    "CREATE TEMP TABLE IF NOT EXISTS pooling_activity_in ON COMMIT DELETE ROWS AS "  # noqa: S608
    f"SELECT {_COLUMNS} FROM {_ACTIVITY} WITH NO DATA"
)
# the batch upserted, linked to its file, the old places of the rows that existed dropped:
# one statement (the places' COPY follows)
_PG_UPSERT = (
    f"WITH up AS (INSERT INTO {_ACTIVITY} ({_COLUMNS}) "  # noqa: S608
    f"SELECT {_COLUMNS} FROM pooling_activity_in "
    f"ON CONFLICT (identifier) DO UPDATE SET {_UPDATES} "
    "RETURNING identifier, id, (xmax = 0) AS new), "  # xmax = 0: inserted, not updated
    f"link AS (INSERT INTO {_SOURCE} (activity_id, source_file_id) SELECT id, %s FROM up), "
    f"gone AS (DELETE FROM {_PLACE} WHERE activity_id IN (SELECT id FROM up WHERE NOT new)) "
    "SELECT identifier, id, new FROM up"
)
_PG_COPY_PLACES = f"COPY {_PLACE} ({', '.join(PLACE_FIELDS)}) FROM STDIN"
# the file's row, its links and quarantine dropped, the commit not waiting for the WAL flush
_PG_BEGIN_FILE = (
    "WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true)), "  # noqa: S608
    f"f AS (INSERT INTO {_SOURCE_FILE} (key, origin, sha256, size, version, "
    "activity_count, quarantined_count, error, imported_at) "
    "VALUES (%s, %s, '', 0, '', 0, 0, '', %s) "
    "ON CONFLICT (key) DO UPDATE SET imported_at = excluded.imported_at RETURNING id), "
    f"q AS (DELETE FROM {_QUARANTINE} WHERE source_file_id = (SELECT id FROM f)), "
    f"s AS (DELETE FROM {_SOURCE} WHERE source_file_id = (SELECT id FROM f) "
    "RETURNING activity_id) "
    "SELECT f.id, NULL::bigint FROM f, cfg UNION ALL SELECT NULL, activity_id FROM s"
)
_SQLITE_FILE = (
    f"INSERT INTO {_SOURCE_FILE} (key, origin, sha256, size, version, "  # noqa: S608
    "activity_count, quarantined_count, error, imported_at) "
    "VALUES (%s, %s, '', 0, '', 0, 0, '', %s) "
    "ON CONFLICT (key) DO UPDATE SET imported_at = excluded.imported_at RETURNING id"
)
_SQLITE_UPSERT = (
    f"INSERT INTO {_ACTIVITY} ({_COLUMNS}) "  # noqa: S608
    f"VALUES ({', '.join('%s' for _ in ACTIVITY_FIELDS)}) "
    f"ON CONFLICT (identifier) DO UPDATE SET {_UPDATES}"
)
SQLITE_CHUNK = 900
# the raw connection (psycopg or sqlite3) already prepared, kept on Django's connection: its
# session has the temporary table, created outside any transaction so no rollback drops it
READY_ATTRIBUTE = "_pooling_prepared"


def _temp_table_ready() -> bool:
    # otherwise it is created in the file's transaction, every file (a rollback may drop it)
    raw = connection.connection
    return raw is not None and getattr(connection, READY_ATTRIBUTE, None) is raw


def prepare_connection() -> None:
    """Once per connection, outside any transaction: PostgreSQL's session temporary table;
    SQLite's commits without a flush to disk (`synchronous = NORMAL`, safe in WAL mode: a
    power cut can lose the last files committed, which a re-import restores, never corrupt
    the database)."""
    if connection.in_atomic_block:
        return
    connection.ensure_connection()
    if _temp_table_ready():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_TEMP)
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = NORMAL")
    setattr(connection, READY_ATTRIBUTE, connection.connection)


def _chunks(values: list[Any], size: int = SQLITE_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Writer:
    """The bulk writes of one database engine, inside the file's transaction.

    PostgreSQL: each batch is one `COPY` into a session temporary table (created once per
    connection, emptied at each commit), one `INSERT … SELECT … ON CONFLICT … RETURNING` that
    says which rows were new (their places need no delete), one `COPY` of the places and one
    of the links: four round trips per batch of 5,000, whatever its size. The file's
    transaction commits without waiting for the WAL flush (`synchronous_commit off`, local to
    it): a crash can lose the last files committed, which a re-import (idempotent) restores.
    SQLite: `executemany` upserts in the same process, no round trips to save.
    """

    def __init__(self, *, reuse_temp: bool) -> None:
        self.postgres = connection.vendor == "postgresql"
        # inside an enclosing transaction (several files, tests) the rows of the previous file
        # are still in the temporary table: emptied before each batch
        self.reuse_temp = reuse_temp
        self.temp_ready = False
        self.batches = 0

    def begin_file(self, *, key: str, origin: str) -> tuple[int, set[int]]:
        """The file's row (created if new), its previous links and quarantine dropped; returns
        its id and the activities it held. One statement on PostgreSQL."""
        now = timezone.now()
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(_PG_BEGIN_FILE, [key, origin, now])
                rows = cursor.fetchall()
                file_id = next(row[0] for row in rows if row[0] is not None)
                return file_id, {row[1] for row in rows if row[1] is not None}
            cursor.execute(_SQLITE_FILE, [key, origin, now])
            file_id = cursor.fetchone()[0]
            cursor.execute(
                f"DELETE FROM {_SOURCE} WHERE source_file_id = %s RETURNING activity_id",  # noqa: S608
                [file_id],
            )
            old_ids = {row[0] for row in cursor.fetchall()}
            cursor.execute(f"DELETE FROM {_QUARANTINE} WHERE source_file_id = %s", [file_id])  # noqa: S608
        return file_id, old_ids

    def write_batch(
        self, rows: list[tuple[Any, ...]], records: list[Record], resolver: Resolver, file_id: int
    ) -> list[int]:
        """Upsert the batch's activities, replace their places, link them to the file."""
        if self.postgres:
            ids, new = self._upsert_pg(rows, file_id)
        else:
            ids, new = self._upsert_sqlite(rows)
        batch_ids = [ids[record.identifier] for record in records]
        places = [
            (ids[record.identifier], *place)
            for record in records
            for place in resolver.places(record)
        ]
        updated = [pk for pk in batch_ids if pk not in new]
        with connection.cursor() as cursor:
            if self.postgres:
                # the upsert already linked the batch to the file and dropped the old places
                with cursor.cursor.copy(_PG_COPY_PLACES) as copy:
                    for place in places:
                        copy.write_row(place)
                return batch_ids
            for chunk in _chunks(updated):
                cursor.execute(
                    f"DELETE FROM {_PLACE} WHERE activity_id IN ({', '.join('%s' for _ in chunk)})",  # noqa: S608
                    chunk,
                )
            cursor.executemany(
                f"INSERT INTO {_PLACE} ({', '.join(PLACE_FIELDS)}) "  # noqa: S608
                f"VALUES ({', '.join('%s' for _ in PLACE_FIELDS)})",
                places,
            )
            cursor.executemany(
                f"INSERT INTO {_SOURCE} (activity_id, source_file_id) VALUES (%s, %s)",  # noqa: S608
                [(pk, file_id) for pk in batch_ids],
            )
        return batch_ids

    def _upsert_sqlite(self, rows: list[tuple[Any, ...]]) -> tuple[dict[str, int], set[int]]:
        identifiers = [row[0] for row in rows]
        with connection.cursor() as cursor:
            before: set[str] = set()
            for chunk in _chunks(identifiers):
                cursor.execute(
                    f"SELECT identifier FROM {_ACTIVITY} WHERE identifier IN "  # noqa: S608
                    f"({', '.join('%s' for _ in chunk)})",
                    chunk,
                )
                before.update(row[0] for row in cursor.fetchall())
            cursor.executemany(_SQLITE_UPSERT, [_sqlite_row(row) for row in rows])
            ids: dict[str, int] = {}
            for chunk in _chunks(identifiers):
                cursor.execute(
                    f"SELECT identifier, id FROM {_ACTIVITY} WHERE identifier IN "  # noqa: S608
                    f"({', '.join('%s' for _ in chunk)})",
                    chunk,
                )
                ids.update(cursor.fetchall())
        return ids, {pk for identifier, pk in ids.items() if identifier not in before}

    def _upsert_pg(
        self, rows: list[tuple[Any, ...]], file_id: int
    ) -> tuple[dict[str, int], set[int]]:
        with connection.cursor() as cursor:
            if not self.temp_ready and not _temp_table_ready():
                cursor.execute(_PG_TEMP)
            self.temp_ready = True
            # emptied at commit only: the previous batch of this file (or, in an enclosing
            # transaction, of the previous file) is still there
            if self.reuse_temp or self.batches:
                cursor.execute("TRUNCATE pooling_activity_in")
            self.batches += 1
            with cursor.cursor.copy(f"COPY pooling_activity_in ({_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(_PG_UPSERT, [file_id])
            ids: dict[str, int] = {}
            new: set[int] = set()
            for identifier, pk, inserted in cursor.fetchall():
                ids[identifier] = pk
                if inserted:
                    new.add(pk)
        return ids, new

    def delete_orphans(self, candidates: list[int]) -> None:
        """The activities among `candidates` that no file holds any more: set-based (their
        places, the coordinations' link — kept with the identifier —, then the rows)."""
        if not candidates:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    f"WITH orphan AS (SELECT a.id FROM {_ACTIVITY} a WHERE a.id = ANY(%s) "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {_SOURCE} s WHERE s.activity_id = a.id)), "
                    f"places AS (DELETE FROM {_PLACE} "
                    "WHERE activity_id IN (SELECT id FROM orphan)), "
                    f"links AS (UPDATE {_COORDINATION} SET activity_id = NULL "
                    "WHERE activity_id IN (SELECT id FROM orphan)) "
                    f"DELETE FROM {_ACTIVITY} WHERE id IN (SELECT id FROM orphan)",
                    [candidates],
                )
                return
            for chunk in _chunks(candidates):
                marks = ", ".join("%s" for _ in chunk)
                cursor.execute(
                    f"SELECT a.id FROM {_ACTIVITY} a WHERE a.id IN ({marks}) AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {_SOURCE} s WHERE s.activity_id = a.id)",
                    chunk,
                )
                orphans = [row[0] for row in cursor.fetchall()]
                if not orphans:
                    continue
                marks = ", ".join("%s" for _ in orphans)
                cursor.execute(f"DELETE FROM {_PLACE} WHERE activity_id IN ({marks})", orphans)  # noqa: S608
                cursor.execute(
                    f"UPDATE {_COORDINATION} SET activity_id = NULL WHERE activity_id IN ({marks})",  # noqa: S608
                    orphans,
                )
                cursor.execute(f"DELETE FROM {_ACTIVITY} WHERE id IN ({marks})", orphans)  # noqa: S608


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
    prepare_connection()
    outer = connection.in_atomic_block
    with transaction.atomic():
        writer = _Writer(reuse_temp=outer)
        file_id, old_ids = writer.begin_file(key=key, origin=origin)
        seen: dict[str, int] = {}
        kept: set[int] = set()
        quarantine: list[Quarantine] = []
        guarded = _Guarded(items)
        try:
            for batch in _batches(guarded, BATCH):
                rows: list[tuple[Any, ...]] = []
                records: list[Record] = []
                for item in batch:
                    record = item.record
                    if record is None:
                        quarantine.append(
                            Quarantine(
                                source_file_id=file_id,
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
                                source_file_id=file_id,
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
                    rows.append(activity_row(record, origin))
                    records.append(record)
                if rows:
                    kept.update(writer.write_batch(rows, records, resolver, file_id))
        except UnsafeFile as error:
            transaction.set_rollback(True)
            result.refused = True
            result.error = str(error)
            return result
        if guarded.error is not None:
            result.error = f"XML mal formé, lecture arrêtée : {guarded.error}"
        if quarantine:
            Quarantine.objects.bulk_create(quarantine, batch_size=2000)
        writer.delete_orphans(list(old_ids - kept))
        info = finish() if finish else {}
        result.activities = len(kept)
        result.quarantined = len(quarantine)
        result.version = info.get("version", "")
        result.size = info.get("size", 0)
        SourceFile.objects.filter(pk=file_id).update(
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
