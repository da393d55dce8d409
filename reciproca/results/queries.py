"""Scoped reads of the results, in a fixed number of queries whatever the framework's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from reciproca.projects import participation
from reciproca.projects.models import Project
from reciproca.projects.participation import ParticipationCount
from reciproca.projects.policies import projects_visible_to, signing_partners
from reciproca.results import charts, disaggregation
from reciproca.results.models import (
    Evaluation,
    Indicator,
    Level,
    Participation,
    Period,
    Report,
    ResultNode,
    ResultsFramework,
    ResultsSignOff,
    Value,
)
from reciproca.results.progress import Point, progress


@dataclass
class IndicatorRow:
    indicator: Indicator
    points: list[Point]
    targets: list[Decimal | None]
    chart: str
    cells: list[str]
    values: dict[int, Value] = field(default_factory=dict)
    table: list[tuple[str, Point, Decimal | None]] = field(default_factory=list)


@dataclass
class NodeRow:
    node: ResultNode
    depth: int
    indicators: list[IndicatorRow]


@dataclass
class ResultsPage:
    project: Project
    framework: ResultsFramework
    nodes: list[NodeRow]
    periods: list[Period]
    signoffs: dict[str, list[ResultsSignOff]]
    missing: dict[str, list[str]]

    @property
    def indicator_count(self) -> int:
        return sum(len(n.indicators) for n in self.nodes)


def framework(project: Project) -> ResultsFramework:
    found = ResultsFramework.objects.filter(project=project).first()
    if found is None:
        found = ResultsFramework(project=project)
    found.project = project
    return found


def results_page(project: Project) -> ResultsPage:
    """The framework tree with every indicator's progress: 7 queries (framework, nodes,
    indicators with SDG targets, periods with reports, targets, current values, sign-offs)
    plus the project's partners."""
    fw = framework(project)
    if fw.pk is None:
        return ResultsPage(project, fw, [], [], {}, _missing(project, fw, []))
    nodes = list(ResultNode.objects.filter(framework=fw).select_related("led_by"))
    indicators = list(
        Indicator.objects.filter(node__framework=fw).prefetch_related("sdg_targets", "targets")
    )
    periods = list(Period.objects.filter(framework=fw).select_related("report"))
    values: dict[int, dict[int, Value]] = defaultdict(dict)
    for value in Value.objects.filter(indicator__node__framework=fw, is_current=True):
        values[value.indicator_id][value.period_id] = value
    signoffs = list(
        ResultsSignOff.objects.filter(framework=fw, withdrawn_at__isnull=True).select_related(
            "organisation", "signed_by"
        )
    )
    period_ids = [p.pk for p in periods]
    labels = [p.label for p in periods]
    by_node: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in indicators:
        own = values.get(indicator.pk, {})
        points = progress(
            indicator.aggregation, period_ids, {pid: v.value for pid, v in own.items()}
        )
        target_of = {t.period_id: t.value for t in indicator.targets.all()}
        targets = [target_of.get(pid) for pid in period_ids]
        chart = (
            charts.progress_svg(indicator.title, labels, [p.cumulative for p in points], targets)
            if indicator.kind == Indicator.Kind.QUANTITATIVE
            else ""
        )
        by_node[indicator.node_id].append(
            IndicatorRow(
                indicator,
                points,
                targets,
                chart,
                disaggregation.cells(indicator.dimensions),
                own,
                list(zip(labels, points, targets, strict=True)),
            )
        )
    children: dict[int | None, list[ResultNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    rows: list[NodeRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            rows.append(NodeRow(node, depth, by_node.get(node.pk, [])))
            walk(node.pk, depth + 1)

    walk(None, 0)
    grouped: dict[str, list[ResultsSignOff]] = defaultdict(list)
    for s in signoffs:
        current = fw.version if s.subject == ResultsSignOff.Subject.FRAMEWORK else fw.plan_version
        if s.version == current:
            grouped[s.subject].append(s)
    return ResultsPage(project, fw, rows, periods, dict(grouped), _missing(project, fw, signoffs))


def _missing(
    project: Project, fw: ResultsFramework, signoffs: list[ResultsSignOff]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for subject, version in (
        (ResultsSignOff.Subject.FRAMEWORK, fw.version),
        (ResultsSignOff.Subject.PLAN, fw.plan_version),
    ):
        signed = {
            s.organisation_id for s in signoffs if s.subject == subject and s.version == version
        }
        out[subject] = [
            str(p.organisation)
            for p in signing_partners(project)
            if p.organisation_id not in signed
        ]
    return out


def activities(fw: ResultsFramework) -> QuerySet[ResultNode]:
    return ResultNode.objects.filter(framework=fw, level=Level.ACTIVITY).select_related("led_by")


def period_report(fw: ResultsFramework, period: Period) -> Report:
    report, _created = Report.objects.get_or_create(period=period)
    return report


def indicators_with_values(
    fw: ResultsFramework, period: Period
) -> list[tuple[Indicator, Value | None]]:
    indicators = list(
        Indicator.objects.filter(node__framework=fw)
        .select_related("node")
        .prefetch_related(
            Prefetch(
                "values", queryset=Value.objects.filter(period=period).prefetch_related("evidence")
            ),
            Prefetch("comments", queryset=period.comments.select_related("author")),
        )
    )
    out = []
    for indicator in indicators:
        current = next((v for v in indicator.values.all() if v.is_current), None)
        out.append((indicator, current))
    return out


def lessons_visible_to(user: Any, query: str = "") -> QuerySet[Evaluation]:
    """Lessons learned of every project the user may see, searched across projects."""
    found = (
        Evaluation.objects.filter(framework__project__in=projects_visible_to(user))
        .exclude(lessons="")
        .select_related("framework__project")
    )
    for word in query.split()[:8]:
        found = found.filter(
            Q(lessons__icontains=word)
            | Q(findings__icontains=word)
            | Q(recommendations__icontains=word)
        )
    return found.order_by("-completed_on", "-pk")


@dataclass(frozen=True)
class ShareRow:
    """Participants of one year and partnership (or of one partnership, all years: year 0),
    every registered source counted; `by_source` the participants per source code."""

    year: int
    partnership: str
    total: int
    women: int
    young: int
    by_source: tuple[tuple[str, int], ...] = ()

    @property
    def women_share(self) -> float:
        return 100 * self.women / self.total if self.total else 0.0

    @property
    def young_share(self) -> float:
        return 100 * self.young / self.total if self.total else 0.0


def activity_participation(user: Any) -> list[ParticipationCount]:
    """The participation source of this app: the meetings of the activities of the projects
    the user may see (young: 15–24). One query."""
    rows = Participation.objects.filter(
        activity__framework__project__in=projects_visible_to(user)
    ).values_list(
        "held_on",
        "activity__framework__project__partnership_id",
        "activity__framework__project__partnership__name",
        "total",
        "women",
        "young",
    )
    return [
        ParticipationCount(held_on.year, pid, name, total, women, young)
        for held_on, pid, name, total, women, young in rows
    ]


def _shares(
    counts: dict[tuple[int, int], list[Any]], sources: list[participation.Source]
) -> list[ShareRow]:
    return [
        ShareRow(
            year,
            bucket[0],
            bucket[1],
            bucket[2],
            bucket[3],
            tuple((s.code, bucket[4].get(s.code, 0)) for s in sources),
        )
        for (year, _pid), bucket in sorted(counts.items(), key=lambda i: (i[0][0], i[1][0]))
    ]


def participation_shares(user: Any, *, per_year: bool = True) -> list[ShareRow]:
    """OBJ-2: the portfolio's share of women and young people among participants, per year
    and partnership (or per partnership over every year), over what the user may see: every
    registered participation source (the activities here, the ledger's exchanges in finance),
    each scoped by its own policy and read in a fixed number of queries."""
    sources = participation.sources()
    counts: dict[tuple[int, int], list[Any]] = {}
    for source in sources:
        for c in source.counts(user):
            key = (c.year if per_year else 0, c.partnership_id)
            bucket = counts.setdefault(key, [c.partnership, 0, 0, 0, defaultdict(int)])
            bucket[1] += c.total
            bucket[2] += c.women
            bucket[3] += c.young
            bucket[4][source.code] += c.total
    return _shares(counts, sources)
