"""The permission matrix (issue "Trust"): every demo role × every kind of object × every action
(view, edit, decide, sign, export), on the pages and on the API — its browsable forms, related
links and error pages included — probed over HTTP as the demo's people would.

The oracle below is this test's own reading of the access rules, written from the role grants
alone and not from the policies it checks: who holds a role on a partnership (itself or through
one of its two organisations) sees its projects and its records; who holds a role on one project
sees that project and only what its pages need of the partnership; editing takes an editing
role; deciding takes an editing role or an elected official's.

Every URL of the platform is probed: a route this test does not know how to fill fails it, so
a new page or API resource cannot escape the matrix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.core.models import AuditEvent
from reciproca.demo.loader import DEMO_PASSWORD
from reciproca.partnerships.models import Agreement, Partnership, Programme
from reciproca.projects.models import Project

PERSONAS = [
    "admin",
    "marie.dupont",
    "elu.ri",
    "karim.benali",
    "anna.petrosyan",
    "rania.khoury",
    "eva.lambert",
    "oscar.sansrole",
    None,  # anonymous
]

# The projects every route is probed on: Constantine's drinking water (diagnosis), Lake Sevan
# (implementation), the Souss irrigation project (in evaluation, the evaluator's one) and
# Bethlehem's crafts project (diagnosis, where Bethlehem's reader has a read-only role).
TARGET_TITLES = [
    "Eau potable dans les communes rurales",
    "lac Sevan",
    "plaine du Souss",
    "Artisanat et jeunesse",
]

EDITING = {Role.ADMIN, Role.OFFICER, Role.PARTNER_EDITOR}

# Routes that are not about one object's access: the login and invitation flows, the language
# switch, the schema and token endpoints (they have tests of their own).
SKIPPED = {
    "accounts:login",
    "accounts:logout",
    "accounts:invitation",
    "accounts:two-factor",
    "set_language",
    "api:schema",
    "api:token",
    "api:token-rotate",
}

# Routes of the host authority's staff only (the yearly declaration, the audit log).
STAFF_ONLY = {
    "accounts:audit-log",
    "finance:declaration",
    "finance:declaration_file",
}

# Partnership records: not for who sees the partnership through one project only.
RECORDS = {
    "partnerships:access",
    "partnerships:agreement-document",
    "projects:partnership_agreements",
    "finance:partnership",
    "finance:exchange_add",
    "finance:revenue_add",
    "finance:search_add",
    "finance:atlas",
    "history:partenariat",
    "history:acces",
    "api:programme-detail",
    "api:exchange-detail",
    "api:partner-revenue-detail",
    "api:funding-search-detail",
}

# Pages and resources every viewer of the object must be able to open (200).
MUST_OPEN = {
    "projects:detail",
    "diagnosis:overview",
    "diagnosis:matrix_proposal",
    "diagnosis:grid_proposal",
    "diagnosis:versions",
    "diagnosis:conformity",
    "results:page",
    "results:plan",
    "results:evaluations",
    "finance:project",
    "api:project-detail",
    "api:project-checklist",
    "api:project-timeline",
    "api:diagnosis-detail",
    "api:funding-plan-detail",
}

# What a user without the right answers: pages 403 or 404 (never a form error, which would
# mean the input was read before the right was checked), the anonymous visitor is sent to log
# in; the API 401 (anonymous), 403 or 404, and 400 only for a creation naming an object the
# user may not see ("not found" in the field).
REFUSED_PAGE = {403, 404}
REFUSED_API = {401, 403, 404}


# --- the oracle -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int | None
    partnership_id: int | None
    project_id: int | None


class Oracle:
    def __init__(self, user: User | None) -> None:
        self.user = user
        self.grants = (
            [
                Grant(g.role, g.organisation_id, g.partnership_id, g.project_id)
                for g in RoleGrant.objects.filter(user=user)
            ]
            if user
            else []
        )
        self.superuser = bool(user and user.is_superuser)
        self.staff = self.superuser or any(
            g.organisation_id is not None
            and g.role in {Role.ADMIN, Role.OFFICER}
            and Partnership.objects.filter(host_id=g.organisation_id).exists()
            for g in self.grants
        )

    def partnership_roles(self, partnership: Partnership) -> set[str]:
        if self.superuser:
            return {Role.ADMIN}
        return {
            g.role
            for g in self.grants
            if g.organisation_id in (partnership.host_id, partnership.partner_id)
            or g.partnership_id == partnership.pk
        }

    def project_roles(self, project: Project) -> set[str]:
        return self.partnership_roles(project.partnership) | {
            g.role for g in self.grants if g.project_id == project.pk
        }

    def sees(self, owner: Project | Partnership | None) -> bool:
        if self.user is None:
            return False
        if owner is None:
            return True
        if isinstance(owner, Project):
            return bool(self.project_roles(owner))
        return bool(self.partnership_roles(owner)) or any(
            g.project_id and Project.objects.filter(pk=g.project_id, partnership=owner).exists()
            for g in self.grants
        )

    def reads_records(self, partnership: Partnership) -> bool:
        return self.user is not None and bool(self.partnership_roles(partnership))

    def writes(self, owner: Project | Partnership | None) -> bool:
        if owner is None:
            return self.staff
        roles = (
            self.project_roles(owner)
            if isinstance(owner, Project)
            else self.partnership_roles(owner)
        )
        return bool(roles & EDITING)

    def decides(self, project: Project) -> bool:
        return bool(self.project_roles(project) & (EDITING | {Role.ELECTED}))


# --- the routes -----------------------------------------------------------------------------


@dataclass
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]
    callback: Any
    is_api: bool
    kind: str = ""  # a history page's kind of object


# The history page of each kind of object (core/history.py): the model its id names.
HISTORY_KINDS = {
    "projet": "projects.Project",
    "decision": "projects.Decision",
    "partenariat": "partnerships.Partnership",
    "acces": "partnerships.Partnership",
    "diagnostic": "projects.Project",
    "budget": "projects.Project",
    "resultats": "projects.Project",
    "indicateur": "results.Indicator",
}


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns or namespace)
        elif isinstance(p, URLPattern):
            if prefix.startswith("admin/") or not p.name:
                continue
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield Route(
                name=name,
                pattern=prefix + str(p.pattern),
                kwargs=tuple(p.pattern.regex.groupindex),
                callback=p.callback,
                is_api=prefix.startswith("api/"),
            )


def all_routes() -> list[Route]:
    """Every route, a history page once per kind of object (a new kind fails `fill`)."""
    from reciproca.core import history

    routes: list[Route] = []
    for route in _walk(get_resolver().url_patterns):
        if route.name in SKIPPED:
            continue
        if "kind" in route.kwargs:
            for kind in history.kinds():
                routes.append(replace(route, name=f"{route.name}:{kind}", kind=kind))
            continue
        routes.append(route)
    return routes


def _path_to(model: type[models.Model], target: type[models.Model], depth: int = 4) -> str | None:
    """The shortest `a__b__c` path of foreign keys from `model` to `target`."""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(depth):
        following: list[tuple[type[models.Model], str]] = []
        for current, path in frontier:
            for field in current._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete:
                    continue
                related = field.related_model
                step = f"{path}__{field.name}" if path else field.name
                if related is target:
                    return step
                following.append((related, step))
        frontier = following
    return None


def objects_of(model: type[models.Model], owner: Project | Partnership) -> models.QuerySet[Any]:
    if isinstance(owner, model):
        return model.objects.filter(pk=owner.pk)
    path = _path_to(model, type(owner))
    if path is None:
        return model.objects.none()
    return model.objects.filter(**{path: owner}).order_by("pk")


# The model a page route's id argument names.
PAGE_KWARG_MODELS = {
    "need_pk": "diagnosis.Need",
    "cell_pk": "diagnosis.ImpactCell",
    "response_pk": "diagnosis.ImpactResponse",
    "alternative_pk": "diagnosis.Alternative",
    "assessment_pk": "diagnosis.Assessment",
    "period_pk": "results.Period",
    "evidence_pk": "results.Evidence",
    "evaluation_pk": "results.Evaluation",
    "line_pk": "finance.BudgetLine",
    "source_pk": "finance.FundingSource",
}
# Page routes whose `pk` is not a project's.
PAGE_PK_MODELS = {
    "partnerships:detail": "partnerships.Partnership",
    "partnerships:access": "partnerships.Partnership",
    "partnerships:agreement-document": "partnerships.Agreement",
    "finance:document": "finance.TransactionDocument",
    "pooling:partnership": "partnerships.Partnership",
    "pooling:territory": "territories.Territory",
    "pooling:run": "pooling.ImportRun",
}


# API routes of a plain ViewSet whose `pk` is a project's.
API_PK_MODELS = {"api:funding-plan-detail": "projects.Project"}


def _api_model(route: Route) -> type[models.Model] | None:
    if route.name in API_PK_MODELS:
        return apps.get_model(API_PK_MODELS[route.name])
    cls = getattr(route.callback, "cls", None)
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    model = getattr(meta, "model", None) or getattr(cls, "model", None)
    return model


def fill(route: Route, owner: Project) -> tuple[dict[str, Any], Project | Partnership | None]:
    """The route's arguments for an object of `owner`'s project, and the object whose access
    decides (the project, or its partnership for a partnership's route); ({}, None) when the
    project has no such object."""
    partnership = owner.partnership
    kwargs: dict[str, Any] = {}
    decides: Project | Partnership | None = owner
    for name in route.kwargs:
        if name in ("project_pk", "project"):
            model = _api_model(route) if route.is_api else None
            if model not in (None, Project) and not objects_of(model, owner).exists():
                return {}, None  # e.g. a project with no diagnosis yet
            kwargs[name] = owner.pk
        elif name == "partnership_pk":
            kwargs[name] = partnership.pk
            decides = partnership
        elif name in PAGE_KWARG_MODELS:
            obj = objects_of(apps.get_model(PAGE_KWARG_MODELS[name]), owner).first()
            if obj is None:
                return {}, None
            kwargs[name] = obj.pk
        elif name == "kind":
            kwargs[name] = route.kind
        elif name == "pk" and route.kind:
            assert route.kind in HISTORY_KINDS, f"history of {route.kind!r}: unknown to the matrix"
            model = apps.get_model(HISTORY_KINDS[route.kind])
            obj = objects_of(model, owner).first()
            if obj is None:
                return {}, None
            kwargs[name] = obj.pk
            if model is Partnership:
                decides = partnership
        elif name == "pk" and route.is_api:
            model = _api_model(route)
            assert model is not None, f"{route.name}: the matrix cannot tell its model"
            if model is Project:
                kwargs[name] = owner.pk
                continue
            if model is Partnership:
                kwargs[name] = partnership.pk
                decides = partnership
                continue
            obj = objects_of(model, owner).first()
            if obj is None:
                obj = objects_of(model, partnership).first()
                decides = partnership
            if obj is None:
                return {}, None
            kwargs[name] = obj.pk
        elif name == "pk":
            label = PAGE_PK_MODELS.get(route.name, "projects.Project")
            model = apps.get_model(label)
            if model is Project:
                kwargs[name] = owner.pk
            elif model is Partnership:
                kwargs[name] = partnership.pk
                decides = partnership
            elif label == "territories.Territory":
                kwargs[name] = partnership.territory_id
                decides = None
            else:
                obj = objects_of(model, owner).first() or objects_of(model, partnership).first()
                if obj is None:
                    return {}, None
                kwargs[name] = obj.pk
                if model is Agreement:
                    decides = partnership
        elif name in ("option",):
            kwargs[name] = "proposition"
        elif name in ("side", "dimension", "directness", "horizon"):
            from reciproca.diagnosis.models import ImpactCell

            cell = objects_of(ImpactCell, owner).filter(alternative__isnull=True).first()
            if cell is None:
                return {}, None
            kwargs[name] = getattr(cell, name)
        elif name == "subject":
            kwargs[name] = "FRAMEWORK"
        elif name == "action":
            kwargs[name] = "submit"
        elif name == "year":
            kwargs[name] = 2025
        elif name == "fmt":
            kwargs[name] = "csv"
        else:
            raise AssertionError(f"{route.name}: the matrix does not know how to fill {name!r}")
    return kwargs, decides


def url_of(route: Route, kwargs: dict[str, Any]) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route.pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


# --- the demo, once for this module ---------------------------------------------------------


@pytest.fixture(scope="module")
def _demo_loaded(demo_database: None, django_db_blocker: Any) -> None:
    """The demo (shared, restored after this module) and one user without any role."""
    with django_db_blocker.unblock():
        User.objects.create_user("oscar.sansrole", password=DEMO_PASSWORD)


@pytest.fixture
def demo(_demo_loaded: None, db: None) -> None:
    """The demo database; each test runs in a transaction rolled back after it."""


def _client(username: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _targets() -> list[Project]:
    with translation.override("fr"):
        return [
            Project.objects.select_related("partnership").get(title__contains=title)
            for title in TARGET_TITLES
        ]


def _targets_for(oracle: Oracle) -> list[Project]:
    """Two of the target projects: one the user sees and one it does not (who sees everything:
    one in diagnosis, one in evaluation), so that every route is probed both ways."""
    projects = _targets()
    seen = [p for p in projects if oracle.sees(p)]
    unseen = [p for p in projects if not oracle.sees(p)]
    if not unseen:
        return [seen[0], seen[2]]
    return seen[:1] + unseen[:1]


def _methods(route: Route) -> tuple[str, ...]:
    """GET, and the writes the route takes: a viewset's own mapping for the API (any other
    method answers 405 whatever the id), POST for a page."""
    if not route.is_api:
        return ("GET", "POST")
    actions = getattr(route.callback, "actions", None) or {}
    writes = tuple(m.upper() for m in actions if m.upper() in {"POST", "PUT", "PATCH", "DELETE"})
    return ("GET", *writes)


def _secrets(oracle: Oracle) -> list[str]:
    """Titles the user may not read anywhere: projects it does not see, and the agreements and
    programmes of partnerships whose records are closed to it (a title that is also one the user
    may read, such as a common agreement title, proves nothing and is left out)."""
    hidden, shown = set(), set()
    for project in Project.objects.select_related("programme"):
        (shown if oracle.sees(project) else hidden).add(project.title)
        if oracle.sees(project) and project.programme:
            shown.add(project.programme.title)  # the programme a visible project belongs to
    for partnership in Partnership.objects.all():
        records = shown if oracle.reads_records(partnership) else hidden
        records.update(a.title for a in Agreement.objects.filter(partnership=partnership))
        records.update(p.title for p in Programme.objects.filter(partnership=partnership))
    return sorted(t for t in hidden - shown if len(t) >= 12)


def _leaks(body: bytes, secrets: list[str]) -> list[str]:
    text = body.decode("utf-8", "replace")
    import html

    text = html.unescape(text)
    return [s for s in secrets if s in text]


def _allowed_to_view(route: Route, oracle: Oracle, decides: Any) -> bool:
    if route.name in STAFF_ONLY:
        return oracle.staff
    if route.name in RECORDS or route.name.startswith("partnerships:access"):
        partnership = decides if isinstance(decides, Partnership) else decides.partnership
        return oracle.reads_records(partnership)
    return oracle.sees(decides)


def _probe(client: Client, method: str, url: str, route: Route) -> Any:
    headers = {"HTTP_ACCEPT": "application/json"} if route.is_api else {}
    if method == "GET":
        return client.get(url, **headers)
    if method == "POST":
        return client.post(url, {}, **headers)
    return client.generic(method, url, b"{}", content_type="application/json", **headers)


# --- the matrix -----------------------------------------------------------------------------


@pytest.mark.charter("PRI-1")
@pytest.mark.parametrize("username", PERSONAS, ids=[p or "anonymous" for p in PERSONAS])
def test_every_route_answers_each_role_as_the_grants_say(demo: None, username: str | None) -> None:
    failures = matrix_failures(username)
    assert not failures, "\n".join(failures[:40]) + f"\n… {len(failures)} in all"


def matrix_failures(username: str | None) -> list[str]:
    user = User.objects.get(username=username) if username else None
    oracle = Oracle(user)
    client = _client(username)
    secrets = _secrets(oracle)
    failures: list[str] = []
    routes = all_routes()
    projects = _targets_for(oracle)
    for route in routes:
        targets: list[Project | None] = [None] if not route.kwargs else list(projects)
        for target in targets:
            if target is None:
                kwargs: dict[str, Any] = {}
                decides: Any = None
            else:
                kwargs, decides = fill(route, target)
                if not kwargs:
                    continue
            url = url_of(route, kwargs)
            for method in _methods(route):
                events = AuditEvent.objects.count()
                response = _probe(client, method, url, route)
                status = response.status_code
                where = f"{method} {url} ({route.name}) as {username or 'anonymous'}: {status}"
                if status >= 500:
                    failures.append(f"{where}: server error")
                    continue
                leaked = _leaks(response.content, secrets)
                if leaked:
                    failures.append(f"{where}: shows {leaked[:2]}")
                if method == "GET":
                    if decides is None and route.name not in STAFF_ONLY:
                        may = user is not None  # a page of the user's own portfolio
                    else:
                        may = user is not None and _allowed_to_view(route, oracle, decides)
                    # 405: a route that takes no GET answers so for any id (it tells nothing).
                    if not may and status not in _refusals(route, user) | {405}:
                        failures.append(f"{where}: should be refused")
                    if may and route.name in MUST_OPEN and status != 200:
                        failures.append(f"{where}: should open")
                    continue
                # A write: whoever may not write the object is refused and nothing changes.
                if status == 405:
                    continue
                if user is None:
                    may_write = False
                elif isinstance(decides, Project) and route.name.endswith(("decide", "decision")):
                    may_write = oracle.decides(decides)
                elif decides is not None or route.name in STAFF_ONLY:
                    may_write = oracle.writes(decides)
                else:
                    may_write = True  # a write in the user's own portfolio (its own checks)
                if route.name in RECORDS and isinstance(decides, Partnership):
                    may_write = may_write and oracle.reads_records(decides)
                if not may_write:
                    if status not in _refusals(route, user):
                        failures.append(f"{where}: a write should be refused")
                    if AuditEvent.objects.count() != events:
                        failures.append(f"{where}: a refused write changed something")
    return failures


def _refusals(route: Route, user: User | None) -> set[int]:
    if route.is_api:
        return REFUSED_API
    return REFUSED_PAGE | ({302} if user is None else set())


@pytest.mark.charter("PRI-1")
@pytest.mark.parametrize("username", ["karim.benali", "rania.khoury", "eva.lambert"])
def test_the_browsable_api_shows_a_partner_nothing_of_the_others(demo: None, username: str) -> None:
    """DRF's HTML forms list related objects: they must list only what the user may see."""
    oracle = Oracle(User.objects.get(username=username))
    client = _client(username)
    secrets = _secrets(oracle)
    failures = []
    for route in all_routes():
        if not route.is_api or route.kwargs:
            continue
        response = client.get(url_of(route, {}), HTTP_ACCEPT="text/html")
        assert response.status_code < 500, route.name
        leaked = _leaks(response.content, secrets)
        if leaked:
            failures.append(f"{route.name}: {leaked[:2]}")
    assert not failures, failures


def test_the_matrix_knows_every_route() -> None:
    """A new route the matrix could not fill would escape it."""
    routes = all_routes()
    assert len(routes) > 100
    for route in routes:
        for name in route.kwargs:
            known = name in PAGE_KWARG_MODELS or name in {
                "pk",
                "project_pk",
                "project",
                "partnership_pk",
                "option",
                "side",
                "dimension",
                "directness",
                "horizon",
                "subject",
                "action",
                "year",
                "fmt",
                "kind",
            }
            assert known, f"{route.name}: the matrix does not know how to fill {name!r}"
        if route.is_api and "pk" in route.kwargs:
            assert _api_model(route) is not None, route.name
