"""A portfolio N times Isère's demo, for measuring pages at scale (issue 11).

The seed is the Isère demo, built through the services (`load_demo`): organisations,
partnerships, agreements, programmes, projects at every stage with their partners, themes,
diagnoses with cells, scores and sign-offs, decisions, results frameworks and reported periods,
budgets, funding plans, the ledger, and their audit events and history rows. The portfolio is
then copies of exactly those rows, written in bulk: every row of a copy is a seed row with its
own key and its foreign keys moved to the copy's rows (rows outside the seed — the host, its
officers, services and elected officials, the reference data and the charter — are shared). So
the generated rows are the ones the services wrote, and every page and check works on them.

Which rows belong to the seed: the partner organisations (every organisation but the host),
their users, and, table by table, every row whose foreign key (or audit subject, or history
row's object) points to a seed row. A copy `k` moves a key `pk` to `pk + k × M`, `M` the
table's largest key before generation; the project references become `CON-2026-001/k`, the
usernames `karim.k`, organisation names and project titles get a place name drawn from a seeded
generator. Foreign keys are deferred until commit on SQLite and PostgreSQL, so copies are
written table by table in batches, each batch one transaction (INSERT on SQLite, COPY on
PostgreSQL).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction

from reciproca.core.models import AuditEvent
from reciproca.diagnosis.models import Diagnosis
from reciproca.diagnosis.versions import PROPOSAL, build_pending_snapshots
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project

# The apps whose rows a copy holds (reference data, territories and the charter are shared).
APPS = (
    "accounts",
    "partnerships",
    "projects",
    "diagnosis",
    "results",
    "finance",
    "pooling",
    "core",
)
# Rows no copy needs: sign-in throttling, invitations (a unique token), API tokens, imports.
SKIP = {
    "accounts.signinfailures",
    "accounts.invitation",
    "pooling.importrun",
    "pooling.sourcefile",
    "pooling.activity",
    "pooling.activitysource",
    "pooling.activityplace",
}
SEPARATOR = "/"  # in a copied project's reference: CON-2026-001/7
BATCH_COPIES = 25
PLACES = (
    "Ain Smara", "El Khroub", "Hamma Bouziane", "Didouche Mourad", "Zighoud Youcef", "Martuni",
    "Gavar", "Sevan", "Vardenis", "Chambarak", "Beit Sahour", "Beit Jala", "Tiznit", "Taroudant",
    "Inezgane", "Aït Melloul", "Podor", "Matam", "Bakel", "Kanel", "Goudiry", "Oussouye",
)  # fmt: skip


class PortfolioRefused(RuntimeError):
    """The database cannot take a generated portfolio (the message says why)."""


@dataclass
class Table:
    model: type[models.Model]
    columns: list[str]
    pk: str
    fks: dict[str, str] = field(default_factory=dict)  # column -> referenced table
    generic: tuple[str, str] | None = None  # (content type column, object id column)
    history_of: str | None = None  # a history table: its object's table
    json: set[str] = field(default_factory=set)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    ids: set[Any] = field(default_factory=set)
    span: int = 0

    @property
    def name(self) -> str:
        return self.model._meta.db_table


def _tables() -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        label = f"{meta.app_label}.{meta.model_name}"
        if meta.app_label not in APPS or label in SKIP or meta.proxy or not meta.managed:
            continue
        if (
            meta.app_label == "accounts"
            and meta.model_name not in ("user", "rolegrant")
            and not meta.auto_created
        ):
            continue
        fields = meta.concrete_fields
        table = Table(model=model, columns=[str(f.column) for f in fields], pk=str(meta.pk.column))
        for f in fields:
            if f.is_relation and f.related_model is not None:
                table.fks[str(f.column)] = f.related_model._meta.db_table
            if isinstance(f, models.JSONField):
                table.json.add(str(f.column))
        if model is AuditEvent:
            table.generic = ("subject_type_id", "subject_id")
        instance = getattr(model, "instance_type", None)
        if instance is not None and meta.app_label == instance._meta.app_label:
            table.history_of = instance._meta.db_table
        tables[table.name] = table
    return tables


def _select(table: Table, where: str = "") -> list[tuple[Any, ...]]:
    columns = ", ".join(
        f'CAST("{c}" AS TEXT)'
        if c in table.json and connection.vendor == "postgresql"
        else f'"{c}"'
        for c in table.columns
    )
    with connection.cursor() as cursor:
        # Table and column names come from the models, never from input.
        cursor.execute(f'SELECT {columns} FROM "{table.name}" {where}')  # noqa: S608
        return list(cursor.fetchall())


def _max_pk(table: Table) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX("{table.pk}") FROM "{table.name}"')  # noqa: S608
        return int(cursor.fetchone()[0] or 0)


def _content_tables() -> dict[int, str]:
    """Each content type's table (the audit events' subjects)."""
    result = {}
    for ct in ContentType.objects.all():
        model = ct.model_class()
        if model is not None:
            result[ct.pk] = model._meta.db_table
    return result


def find_seed(tables: dict[str, Table]) -> None:
    """The rows of the seed, table by table (see the module docstring)."""
    host = Organisation.objects.filter(is_host=True).values_list("pk", flat=True).first()
    content_tables = _content_tables()
    for table in tables.values():
        table.span = _max_pk(table)
        table.rows = _select(table)
        table.ids = set()
    organisations = tables[Organisation._meta.db_table]
    organisations.ids = {
        row[organisations.columns.index("id")]
        for row in organisations.rows
        if row[organisations.columns.index("id")] != host
    }
    users = tables["accounts_user"]
    org_column = users.columns.index("organisation_id")
    users.ids = {
        row[users.columns.index("id")] for row in users.rows if row[org_column] in organisations.ids
    }
    roots = {organisations.name, users.name}
    changed = True
    while changed:  # until no table gains a row (chains of any length, in any order)
        changed = False
        for table in tables.values():
            if table.name in roots:
                continue
            index = {c: i for i, c in enumerate(table.columns)}
            pk = index[table.pk]
            for row in table.rows:
                if row[pk] in table.ids:
                    continue
                if _points_to_seed(table, row, index, tables, content_tables):
                    table.ids.add(row[pk])
                    changed = True
    for table in tables.values():
        pk = table.columns.index(table.pk)
        table.rows = [row for row in table.rows if row[pk] in table.ids]


def _points_to_seed(
    table: Table,
    row: tuple[Any, ...],
    index: dict[str, int],
    tables: dict[str, Table],
    content_tables: dict[int, str],
) -> bool:
    for column, target in table.fks.items():
        value = row[index[column]]
        if value is not None and target in tables and value in tables[target].ids:
            return True
    if table.generic:
        target = content_tables.get(row[index[table.generic[0]]], "")
        if target in tables and _as_int(row[index[table.generic[1]]]) in tables[target].ids:
            return True
    return bool(table.history_of and row[index["id"]] in tables[table.history_of].ids)


def _as_int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


Transform = Callable[[Any, int], Any]


def _transforms(
    table: Table, tables: dict[str, Table], content_tables: dict[int, str], seed: int
) -> list[Transform | None]:
    """One function per column (None: copied as is) giving the value in copy `k`."""

    def moved(target: Table) -> Transform:
        ids, span = target.ids, target.span
        return lambda v, k: v + k * span if v in ids else v

    result: list[Transform | None] = []
    rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not secrets)
    places = [rng.choice(PLACES) for _ in range(len(PLACES) * 8)]

    def title(v: Any, k: int) -> Any:
        return f"{v} — {places[k % len(places)]}" if v else v

    def org_name(v: Any, k: int) -> Any:
        return f"{v} ({places[(k * 7) % len(places)]} {k})" if v else v

    for column in table.columns:
        transform: Transform | None = None
        if column == table.pk:
            span = table.span
            transform = lambda v, k, span=span: v + k * span  # noqa: E731
        elif column in table.fks and table.fks[column] in tables:
            transform = moved(tables[table.fks[column]])
        elif table.history_of and column == "id":
            transform = moved(tables[table.history_of])
        elif table.name == "accounts_user" and column == "username":
            transform = lambda v, k: f"{v}.{k}"  # noqa: E731
        elif table.model is Project and column == "reference":
            transform = lambda v, k: f"{v}{SEPARATOR}{k}"  # noqa: E731
        elif table.model is Project and (column == "title" or column.startswith("title_")):
            transform = title
        elif table.model is Organisation and (column == "name" or column.startswith("name_")):
            transform = org_name
        if table.name == "diagnosis_diagnosisversion" and column == "snapshot":
            transform = _snapshot_transform(tables, title, org_name)
        result.append(transform)
    if table.generic:
        type_index = table.columns.index(table.generic[0])
        id_index = table.columns.index(table.generic[1])
        spans = {name: (t.ids, t.span) for name, t in tables.items()}

        def subject(row: tuple[Any, ...], k: int) -> Any:
            target = content_tables.get(row[type_index])
            value = _as_int(row[id_index])
            if target in spans and value in spans[target][0]:
                moved_id = value + k * spans[target][1]
                return str(moved_id) if isinstance(row[id_index], str) else moved_id
            return row[id_index]

        result[id_index] = subject  # takes the row (`_copies` knows this column)
    return result


def _seed_names(table: Table, column: str) -> set[str]:
    index = table.columns.index(column)
    return {row[index] for row in table.rows if row[index]}


def _snapshot_transform(
    tables: dict[str, Table], title: Transform, org_name: Transform
) -> Transform:
    """A version's snapshot names needs, alternatives, responses and assessors by their keys,
    and the project and organisations by name (`diagnosis.versions.snapshot`): the copy's
    snapshot names the copy's rows."""
    names = _seed_names(tables[Organisation._meta.db_table], "name")

    def org(value: str, k: int) -> str:
        for name in names:
            if value == name or value.startswith(f"{name} — "):
                return org_name(name, k) + value[len(name) :]
        return value

    def renamed(entry: dict[str, Any], k: int) -> dict[str, Any]:
        return {
            key: org(v, k) if key in ("author_organisation", "owner") and v else v
            for key, v in entry.items()
        }

    def mover(name: str) -> Callable[[str, int], str]:
        ids, span = tables[name].ids, tables[name].span

        def move(key: str, k: int) -> str:
            value = _as_int(key)
            return str(value + k * span) if value in ids else key

        return move

    need, alternative = mover("diagnosis_need"), mover("diagnosis_alternative")
    response, user = mover("diagnosis_impactresponse"), mover("accounts_user")

    def option(key: str, k: int) -> str:
        head, sep, tail = key.partition("|")
        return (head if head == PROPOSAL else alternative(head, k)) + sep + tail

    def assessment(key: str, k: int) -> str:
        head, criterion, assessor = key.split("|", 2)
        head = head if head == PROPOSAL else alternative(head, k)
        return f"{head}|{criterion}|{user(assessor, k)}"

    def transform(value: Any, k: int) -> Any:
        content = json.loads(value) if isinstance(value, str) else value
        if not content:
            return value
        content = dict(content)
        if content.get("project"):
            content["project"] = {
                **content["project"],
                "title": title(content["project"].get("title"), k),
            }
        content["needs"] = {
            need(key, k): renamed(v, k) for key, v in (content.get("needs") or {}).items()
        }
        content["alternatives"] = {
            alternative(key, k): v for key, v in (content.get("alternatives") or {}).items()
        }
        content["cells"] = {
            option(key, k): renamed(v, k) for key, v in (content.get("cells") or {}).items()
        }
        content["responses"] = {
            response(key, k): {**renamed(v, k), "cell": option(v["cell"], k)}
            for key, v in (content.get("responses") or {}).items()
        }
        content["assessments"] = {
            assessment(key, k): v for key, v in (content.get("assessments") or {}).items()
        }
        return json.dumps(content)

    return transform


def _copies(
    table: Table, transforms: list[Transform | None], copies: Iterable[int]
) -> list[tuple[Any, ...]]:
    generic_index = table.columns.index(table.generic[1]) if table.generic else -1
    out = []
    for k in copies:
        for row in table.rows:
            out.append(
                tuple(
                    (t(row, k) if i == generic_index else t(v, k)) if t is not None else v
                    for i, (v, t) in enumerate(zip(row, transforms, strict=True))
                )
            )
    return out


def _insert(table: Table, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    postgres = connection.vendor == "postgresql"
    if postgres:  # COPY: several times faster than INSERT for a million rows
        names = ", ".join(f'"{c}"' for c in table.columns)
        sql = f'COPY "{table.name}" ({names}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(
        "CAST(%s AS jsonb)" if postgres and c in table.json else "%s" for c in table.columns
    )
    columns = ", ".join(f'"{c}"' for c in table.columns)
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({placeholders})'  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def check_database() -> int:
    """How many projects the seed has; refuses a database that cannot take a portfolio."""
    if Project.objects.filter(reference__contains=SEPARATOR).exists():
        raise PortfolioRefused(
            "Un portefeuille généré est déjà dans cette base : repartez d'une base vide "
            "(référentiels et charte chargés) pour en générer un autre."
        )
    if Project.objects.filter(is_demo=False).exists():
        raise PortfolioRefused(
            "Cette base contient des projets qui ne sont pas ceux de la démonstration : le "
            "portefeuille se génère sur une base vide ou sur la démonstration seule."
        )
    return Project.objects.count()


def generate(*, scale: float, seed: int = 11, log: Callable[[str], None] = print) -> dict[str, int]:
    """Generate the portfolio: about 100 × `scale` projects (the seed included). Returns the
    number of rows written per table."""
    from reciproca.demo.loader import load_demo

    started = time.perf_counter()

    def say(message: str) -> None:
        log(f"[{time.perf_counter() - started:6.1f} s] {message}")

    if check_database() == 0:
        say("Graine : la démonstration de l'Isère, par les services…")
        load_demo()
    # The seed's snapshots are built first, so that the copies have theirs (a read would build
    # every copy's at once otherwise).
    build_pending_snapshots(Diagnosis.objects.all())
    seed_projects = Project.objects.count()
    copies = max(0, math.ceil(100 * scale / seed_projects) - 1)
    tables = _tables()
    find_seed(tables)
    content_tables = _content_tables()
    transforms = {
        name: _transforms(table, tables, content_tables, seed) for name, table in tables.items()
    }
    per_copy = sum(len(t.rows) for t in tables.values())
    say(
        f"Graine : {seed_projects} projets, {per_copy} lignes ; {copies} copies à écrire "
        f"({copies * per_copy} lignes)."
    )
    written: dict[str, int] = defaultdict(int)
    for first in range(1, copies + 1, BATCH_COPIES):
        batch = range(first, min(first + BATCH_COPIES, copies + 1))
        with transaction.atomic():
            for name, table in tables.items():
                rows = _copies(table, transforms[name], batch)
                _insert(table, rows)
                written[name] += len(rows)
        say(f"copies {batch.stop - 1}/{copies} : {(batch.stop - 1 + 1) * seed_projects} projets")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [t.model for t in tables.values()]
            ):
                cursor.execute(statement)
    say(f"Portefeuille généré : {Project.objects.count()} projets.")
    return dict(written)
