"""Project pages: the dashboard, the project list, creating, reading and moving a project.

Every view fetches with `policies.get_project_for` (404 for what the user cannot see), checks
the policy predicate (403 when visible but not allowed), makes one service call and turns a
`DomainError` into a message. Mutating views accept POST only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from reciproca.charter import conditions as charter_conditions
from reciproca.core.exceptions import DomainError
from reciproca.core.forms import add_refusal, refusal_status
from reciproca.core.language import du
from reciproca.core.models import AuditEvent
from reciproca.core.templatetags.reciproca import (
    describe_action,
    describe_change_key,
    optional_reverse,
    register_action_labels,
    register_change_labels,
)
from reciproca.partnerships.policies import can_read_partnership_records
from reciproca.partnerships.rules import agreement_warning_days
from reciproca.projects import policies, queries, services, todo, workflow
from reciproca.projects.forms import (
    DecisionForm,
    ProjectCreateForm,
    ProjectEditForm,
    ProjectFilterForm,
    ProjectTagsForm,
)
from reciproca.projects.models import Decision, Project, SignOff, Stage
from reciproca.projects.panels import panels_for

register_action_labels(
    {
        "projects.project.created": gettext_lazy("a créé le projet"),
        "projects.project.updated": gettext_lazy("a modifié le projet"),
        "projects.project.tagged": gettext_lazy("a modifié les rattachements du projet"),
        "projects.project.themes_set": gettext_lazy("a modifié les thèmes prioritaires"),
        "projects.project.involvement_set": gettext_lazy(
            "a modifié les services et élus impliqués"
        ),
        "projects.project.commitments_confirmed": gettext_lazy(
            "a confirmé les cibles ODD, marqueurs et codes-objet"
        ),
        "projects.partner.set": gettext_lazy("a désigné une organisation partenaire"),
        "projects.partner.removed": gettext_lazy("a retiré une organisation partenaire"),
        "projects.project.start_diagnosis": gettext_lazy("a ouvert le diagnostic partagé"),
        "projects.project.submit_for_decision": gettext_lazy("a soumis le projet à la décision"),
        "projects.project.decided": gettext_lazy("a enregistré la décision"),
        "projects.project.start_implementation": gettext_lazy("a lancé la mise en œuvre"),
        "projects.project.start_evaluation": gettext_lazy("a fait passer le projet à l'évaluation"),
        "projects.project.close": gettext_lazy("a clos le projet"),
        "projects.project.suspend": gettext_lazy("a suspendu le projet"),
        "projects.project.resume": gettext_lazy("a repris le projet"),
        "projects.stage.signed_off": gettext_lazy("a validé l'étape au nom de son organisation"),
        "projects.stage.signoffs_withdrawn": gettext_lazy(
            "validations de l'étape retirées après une modification"
        ),
    }
)

# The words for the keys services put in an audit event's before/after.
register_change_labels(
    {
        "stage": gettext_lazy("étape"),
        "is_suspended": gettext_lazy("suspendu"),
        "outcome": gettext_lazy("décision"),
        "deliberation_reference": gettext_lazy("délibération"),
        "new_project": gettext_lazy("nouveau projet"),
        "reference": gettext_lazy("référence"),
        "title": gettext_lazy("titre"),
        "summary": gettext_lazy("résumé"),
        "objectives": gettext_lazy("objectifs"),
        "programme": gettext_lazy("programme"),
        "start_date": gettext_lazy("début prévu"),
        "end_date": gettext_lazy("fin prévue"),
        "themes": gettext_lazy("thèmes prioritaires"),
        "sdg_targets": gettext_lazy("cibles ODD"),
        "purpose_codes": gettext_lazy("codes-objet CAD"),
        "locations": gettext_lazy("lieux"),
        "services": gettext_lazy("services impliqués"),
        "elected_officials": gettext_lazy("élus impliqués"),
        "organisation": gettext_lazy("organisation"),
        "role": gettext_lazy("rôle"),
        "signed_by": gettext_lazy("validé par"),
        "redesigned_from": gettext_lazy("issu de"),
    }
)

TRANSITION_DONE = {
    "start_diagnosis": gettext_lazy("Le diagnostic partagé est ouvert."),
    "submit_for_decision": gettext_lazy("Le projet est soumis à la décision."),
    "start_implementation": gettext_lazy("La mise en œuvre est lancée."),
    "start_evaluation": gettext_lazy("Le projet est passé à l'évaluation."),
    "close": gettext_lazy("Le projet est clos."),
    "suspend": gettext_lazy("Le projet est suspendu."),
    "resume": gettext_lazy("Le projet a repris."),
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# --- presentation helpers --------------------------------------------------------------------


def _language_field(name: str) -> str:
    """`title_fr` → `title`: the timeline names a field once, whatever its language."""
    base, _sep, suffix = name.rpartition("_")
    return base if suffix in {"fr", "en", "ar", "hy"} and base else name


def _display_value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if key == "stage" and value in Stage.values:
        return str(Stage(value).label)
    if key == "outcome" and value in Decision.Outcome.values:
        return str(Decision.Outcome(value).label)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


@dataclass(frozen=True)
class EvaluatedCondition:
    """A gate condition as the charter in force evaluated it when the event happened."""

    label: str
    clauses: str
    is_met: bool
    reasons: list[str]


@dataclass(frozen=True)
class TimelineRow:
    event: AuditEvent
    label: str
    changes: list[Change]
    # The charter in force when a transition, decision or sign-off happened ({} otherwise).
    charter: dict[str, Any] = field(default_factory=dict)
    conditions: list[EvaluatedCondition] = field(default_factory=list)
    # What the event was about ("case : social · direct · moyen terme"), from `TARGET_KEYS`.
    targets: list[Change] = field(default_factory=list)
    # The events of one session of edits shown as this row (newest first), and their reason.
    count: int = 1
    reason: str = ""
    # The oldest event of the session (the window of `SESSION_GAP` moves with it).
    oldest_at: Any = None


# The keys of an audit event's `after` that name what the event was about (the matrix cell,
# the need): the app that writes them registers their words (`register_target_keys`).
TARGET_KEYS: dict[str, Any] = {}


def register_target_keys(labels: dict[str, Any]) -> None:
    TARGET_KEYS.update(labels)


# Events of the same person, worded the same, less than this apart, are one session of edits.
SESSION_GAP = timedelta(minutes=30)


def _merge_changes(newer: list[Change], older: list[Change]) -> list[Change]:
    """One change per field over a session: its value before the first edit, after the last."""
    merged: dict[str, Change] = {c.label: c for c in older}
    for change in newer:
        first = merged.get(change.label)
        merged[change.label] = Change(
            label=change.label,
            before=first.before if first is not None else change.before,
            after=change.after,
        )
    return list(merged.values())


def group_sessions(rows: list[TimelineRow]) -> list[TimelineRow]:
    """Consecutive rows (newest first) by the same person, worded the same, within
    `SESSION_GAP` of each other, become one row that counts them and names every cell or
    field changed: no "a ouvert le diagnostic partagé" twice, no six "a renseigné la matrice".
    Two rows that each carry a reason or a charter record stay apart (each is a decision)."""
    grouped: list[TimelineRow] = []
    for row in rows:
        last = grouped[-1] if grouped else None
        if (
            last is not None
            and last.label == row.label
            and last.event.actor_id == row.event.actor_id
            and abs((last.oldest_at or last.event.at) - row.event.at) <= SESSION_GAP
            and not (last.reason and row.reason)
            and not (last.charter and row.charter)
        ):
            targets = list(dict.fromkeys([*last.targets, *row.targets]))
            grouped[-1] = TimelineRow(
                event=last.event,
                label=last.label,
                changes=_merge_changes(last.changes, row.changes),
                charter=last.charter or row.charter,
                conditions=last.conditions or row.conditions,
                targets=targets,
                count=last.count + row.count,
                reason=last.reason or row.reason,
                oldest_at=row.event.at,
            )
            continue
        grouped.append(row)
    return grouped


def _evaluated(after: dict[str, Any]) -> list[EvaluatedCondition]:
    rows = []
    for item in after.get("conditions") or []:
        code = str(item.get("check", ""))
        label = (
            str(charter_conditions.get(code).label)
            if code in charter_conditions.known_codes()
            else code
        )
        rows.append(
            EvaluatedCondition(
                label=label,
                clauses=", ".join(item.get("clauses") or []),
                is_met=bool(item.get("met")),
                reasons=[str(r) for r in item.get("reasons") or []],
            )
        )
    return rows


def timeline_rows(events: list[AuditEvent]) -> list[TimelineRow]:
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        changes = []
        for key in list(dict.fromkeys([*before, *after])):
            base = _language_field(key)
            label = describe_change_key(base)
            if label is None:
                continue
            if base != key:
                label = f"{label} ({key.rsplit('_', 1)[1]})"
            old = _display_value(key, before[key]) if key in before else None
            new = _display_value(key, after.get(key))
            if old == new:
                continue  # a snapshot key that did not change (suspension on a stage move)
            changes.append(Change(label=label, before=old, after=new))
        targets = [
            Change(label=str(word), before=None, after=str(after[key]))
            for key, word in TARGET_KEYS.items()
            if after.get(key)
        ]
        rows.append(
            TimelineRow(
                event=event,
                label=describe_action(event.action),
                changes=changes,
                charter=after.get("charter") or {},
                conditions=_evaluated(after),
                targets=targets,
                reason=event.reason or "",
            )
        )
    return rows


@dataclass(frozen=True)
class PartnerRow:
    partner: Any
    signoff: SignOff | None


def _partner_rows(project: Project) -> list[PartnerRow]:
    live = {
        s.organisation_id: s
        for s in project.signoffs.all()
        if s.stage == project.stage and s.withdrawn_at is None
    }
    return [
        PartnerRow(partner=p, signoff=live.get(p.organisation_id) if p.signs_off else None)
        for p in project.partners.all()
    ]


@dataclass(frozen=True)
class StageStep:
    """One stage of the stepper, as the project really went: done, current, to come, or
    skipped (a decision to reject or redesign closes the project without the later stages)."""

    stage: Stage
    status: str  # "done" | "current" | "todo" | "skipped"
    note: str = ""

    @property
    def label(self) -> str:
        return str(self.stage.label)

    @property
    def is_done(self) -> bool:
        return self.status == "done"

    @property
    def is_current(self) -> bool:
        return self.status == "current"

    @property
    def is_skipped(self) -> bool:
        return self.status == "skipped"


# The stages a decision to reject or redesign closes the project without.
SKIPPED_BY_CLOSING_DECISION = (Stage.ELABORATION, Stage.IMPLEMENTATION, Stage.EVALUATION)


def latest_decision(project: Project) -> Decision | None:
    """The newest decision, from the prefetched decisions (no query on the project page)."""
    decisions = sorted(project.decisions.all(), key=lambda d: (d.decided_at, d.pk), reverse=True)
    return decisions[0] if decisions else None


def _stage_steps(project: Project) -> list[StageStep]:
    stages = list(Stage)
    current = stages.index(Stage(project.stage))
    decision = latest_decision(project)
    closing = (
        project.stage == Stage.CLOSED
        and decision is not None
        and decision.outcome in (Decision.Outcome.REJECT, Decision.Outcome.REDESIGN)
    )
    steps = []
    for index, stage in enumerate(stages):
        if closing and stage in SKIPPED_BY_CLOSING_DECISION:
            status = "skipped"
        elif index < current:
            status = "done"
        elif index == current:
            status = "current"
        else:
            status = "todo"
        note = ""
        if stage == Stage.DECISION and decision is not None:
            outcome = decision.get_outcome_display()
            note = (
                str(outcome)
                if status == "done"
                else _("décision précédente : %(outcome)s") % {"outcome": outcome}
            )
        elif status == "current" and project.is_suspended:
            note = _("suspendu")
        steps.append(StageStep(stage=stage, status=status, note=note))
    return steps


# A condition with more reasons than this shows one line and folds the list under it.
FOLD_AFTER = 2


@dataclass(frozen=True)
class NextStep:
    """What the project page leads with: the step forward from the project's stage, how many
    of its charter conditions are met, and the unmet ones with the page where each is fixed."""

    gate: queries.ChecklistGate

    @property
    def total(self) -> int:
        return len(self.gate.conditions)

    @property
    def met(self) -> int:
        return sum(1 for condition in self.gate.conditions if condition.is_met)

    @property
    def unmet(self) -> list[queries.ChecklistCondition]:
        return self.gate.unmet

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 100


def next_step(checklist: list[queries.ChecklistGate]) -> NextStep | None:
    """The forward gate of the checklist (suspending and resuming are not a next step)."""
    for gate in checklist:
        if gate.name not in {"suspend", "resume"}:
            return NextStep(gate=gate)
    return None


TIMELINE_LENGTH = 15


def _timeline_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The latest events, or all of them with `?historique=tout` (a link, no JavaScript)."""
    events = queries.timeline(project)
    if request.GET.get("historique") == "tout":
        return {"timeline": group_sessions(timeline_rows(list(events))), "timeline_more": 0}
    latest = list(events[: TIMELINE_LENGTH + 1])
    # `project_detail` counted the events with the project
    more = getattr(project, "event_count", 0) if len(latest) > TIMELINE_LENGTH else 0
    rows = group_sessions(timeline_rows(latest[:TIMELINE_LENGTH]))
    return {"timeline": rows, "timeline_more": more}


def _detail_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    """The project page's context; `project` read by `queries.project_detail` (or read again
    with it here)."""
    if not hasattr(project, "event_count"):
        project = queries.project_detail(project)
    user = request.user
    can_edit = policies.can_edit_project(user, project)
    can_decide = policies.can_decide_project(user, project)
    partner_rows = _partner_rows(project)
    organisation_id = getattr(user, "organisation_id", None)
    checklist = queries.checklist(project)
    context = {
        "project": project,
        "stages": _stage_steps(project),
        "checklist": [gate for gate in checklist if gate.name not in {"suspend", "resume"}],
        "next_step": next_step(checklist),
        "latest_decision": latest_decision(project),
        "suspension": queries.suspension_event(project) if project.is_suspended else None,
        "placement": queries.stage_placement(project),
        "fold_after": FOLD_AFTER,
        "partner_rows": partner_rows,
        "already_signed": any(
            row.signoff is not None and row.partner.organisation_id == organisation_id
            for row in partner_rows
        ),
        **_timeline_context(request, project),
        "can_edit": can_edit,
        "can_transition": policies.can_transition_project(user, project),
        "can_decide": can_decide,
        "can_sign_off": policies.can_sign_off_project(user, project),
        "decision_form": None,
        "diagnosis_url": optional_reverse("diagnosis:overview", project.pk),
        "results_url": optional_reverse("results:page", project.pk),
        "finance_url": optional_reverse("finance:project", project.pk),
        "is_open": project.stage != Stage.CLOSED,
        "panels": panels_for(request, project, "project"),
    }
    if can_decide and project.stage == Stage.DECISION:
        context["decision_form"] = DecisionForm()
    context["is_read_only"] = not (context["can_transition"] or context["decision_form"])
    context.update(extra)
    return context


def _refusal_header(header: str, count: int) -> str:
    """The refusal in one line: the page lists the unmet conditions right under it."""
    return " ".join(
        [
            header,
            ngettext(
                "%(n)s condition n'est pas remplie : elle est indiquée sous « Prochaine étape ».",
                "%(n)s conditions ne sont pas remplies : elles sont indiquées sous "
                "« Prochaine étape ».",
                count,
            )
            % {"n": count},
        ]
    )


def _refusal_text(header: str, reasons: list[str]) -> str:
    """One message: the header line, then one reason per line (the page lists them)."""
    return "\n".join([header, *reasons])


# --- pages ---------------------------------------------------------------------------------


def _activity_sessions(items: list[queries.Activity]) -> list[tuple[Any, TimelineRow]]:
    """The dashboard's recent activity, a session of edits on one project as one line."""
    grouped: list[tuple[Any, TimelineRow]] = []
    for item in items:
        (row,) = timeline_rows([item.event])
        if grouped and grouped[-1][0].project.pk == item.project.pk:
            merged = group_sessions([grouped[-1][1], row])
            if len(merged) == 1:
                grouped[-1] = (grouped[-1][0], merged[0])
                continue
        grouped.append((item, row))
    return grouped


# Partnerships the dashboard lists; the partnership list has them all.
DASHBOARD_PARTNERSHIPS = 10


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = queries.stage_counts(user)
    largest = max((n for _stage, n in counts), default=0)
    context = {
        "partnerships": queries.bounded(
            queries.partnerships_with_project_counts(user), DASHBOARD_PARTNERSHIPS
        ),
        "stage_counts": [
            {"stage": stage, "count": n, "percent": round(100 * n / largest) if largest else 0}
            for stage, n in counts
        ],
        "project_total": sum(n for _stage, n in counts),
        "expiring_agreements": queries.expiring_agreements(user),
        "ending_projects": queries.upcoming_project_ends(user),
        "activity": _activity_sessions(queries.recent_activity(user)),
        "warning_days": agreement_warning_days(),
        "todo_lists": todo.todo_lists(user),
        "can_create": policies.partnerships_open_to_new_projects(user).exists(),
    }
    return render(request, "projects/dashboard.html", context)


SORT_COLUMNS = (
    ("titre", gettext_lazy("Projet")),
    ("partenariat", gettext_lazy("Partenariat")),
    ("etape", gettext_lazy("Étape")),
    ("fin", gettext_lazy("Fin prévue")),
)


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    """Each sortable column: the link that sorts by it (again: the other way) and its
    aria-sort value."""
    links = {}
    for key, _label in SORT_COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        query["tri"] = f"-{key}" if current == key else key
        links[key] = {
            "url": "?" + query.urlencode(),
            "aria_sort": "ascending"
            if current == key
            else "descending"
            if current == f"-{key}"
            else "none",
        }
    return links


def _projects_csv(projects: Any) -> HttpResponse:
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="projets-{timezone.localdate():%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Référence"),
            _("Titre"),
            _("Autorité partenaire"),
            _("Étape"),
            _("Suspendu"),
            _("Programme"),
            _("Début prévu"),
            _("Fin prévue"),
        ]
    )
    for project in projects:
        writer.writerow(
            [
                project.reference,
                project.title,
                project.partnership.partner.name,
                project.get_stage_display(),
                _("oui") if project.is_suspended else _("non"),
                project.programme.title if project.programme else "",
                project.start_date.isoformat() if project.start_date else "",
                project.end_date.isoformat() if project.end_date else "",
            ]
        )
    return response


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the user may see: filtered, searched, sorted, paginated or as CSV (the
    export holds exactly the rows of the list, every page, scoped the same way)."""
    form = ProjectFilterForm(request.GET or None, user=request.user)
    projects = queries.project_list(request.user)
    valid = form.is_bound and form.is_valid()
    if valid:
        # Only cleaned values, checked against the choices, reach the query.
        if stage := form.cleaned_data.get("stage"):
            projects = projects.filter(stage=stage)
        if partnership := form.cleaned_data.get("partnership"):
            projects = projects.filter(partnership=partnership)
        if form.cleaned_data.get("ending"):
            projects = queries.ending_soon(projects)
    sort = request.GET.get("tri", "")
    sort = sort if sort in queries.SORTS else ""
    projects = queries.search_and_sort(
        projects, text=form.cleaned_data.get("q", "") if valid else "", sort=sort
    )
    if request.GET.get("format") == "csv":
        return _projects_csv(projects)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "projects": list(page.object_list),
            "filter_query": query.urlencode(),
            "csv_url": "?" + csv_query.urlencode(),
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "is_filtered": bool(valid and any(form.cleaned_data.values())),
            "can_create": policies.partnerships_open_to_new_projects(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not policies.partnerships_open_to_new_projects(request.user).exists():
        raise PermissionDenied
    if request.method == "POST":
        form = ProjectCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.create_project(
                    partnership=data["partnership"],
                    by=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    objectives=data["objectives"],
                    programme=data["programme"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                )
            except DomainError as error:
                for reason in error.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(
                    request,
                    _("Le projet %(ref)s est enregistré à l'étape « idée ».")
                    % {"ref": project.reference},
                )
                return redirect("projects:detail", pk=project.pk)
        status = 422
    else:
        initial = {}
        wanted = request.GET.get("partenariat", "")
        if wanted.isdigit():
            initial["partnership"] = int(wanted)
        form = ProjectCreateForm(initial=initial, user=request.user)
        status = 200
    return render(request, "projects/project_form.html", {"form": form}, status=status)


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # read within the user's scope with everything the page shows (404 outside it)
    project = queries.project_detail(pk, user=request.user)
    return render(request, "projects/project_detail.html", _detail_context(request, project))


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = policies.get_project_for(request.user, pk)
    if not policies.can_edit_project(request.user, project):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ProjectEditForm(request.POST, project=project)
        if form.is_valid():
            try:
                services.update_project(
                    project=project,
                    by=request.user,
                    revision=form.cleaned_data["revision"],
                    **form.changes(),
                )
            except DomainError as error:
                add_refusal(form, error)
            else:
                if form.changes():
                    messages.success(request, _("Le projet est modifié."))
                return redirect("projects:detail", pk=project.pk)
        status = refusal_status(form)
    else:
        form = ProjectEditForm(project=project)
    return render(
        request, "projects/project_edit.html", {"project": project, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_tags(request: HttpRequest, pk: int) -> HttpResponse:
    project = policies.get_project_for(request.user, pk)
    if not policies.can_edit_project(request.user, project):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ProjectTagsForm(request.POST, project=project)
        if form.is_valid():
            try:
                services.set_project_tags(project=project, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("Les rattachements du projet sont enregistrés."))
                return redirect("projects:detail", pk=project.pk)
        status = refusal_status(form)
    else:
        form = ProjectTagsForm(project=project)
    return render(
        request, "projects/project_tags.html", {"project": project, "form": form}, status=status
    )


@login_required
@require_POST
def project_transition(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = policies.get_project_for(request.user, pk)
    if not policies.can_transition_project(request.user, project):
        raise PermissionDenied
    name = request.POST.get("transition", "")
    reason = request.POST.get("reason", "")
    spec = workflow.TRANSITIONS.get(name)
    label = str(spec.label) if spec else name
    detail_url = reverse("projects:detail", args=[project.pk])
    try:
        services.transition_project(
            project=project, transition=name, by=request.user, reason=reason
        )
    except DomainError as error:
        header = _("« %(action)s » est refusé :") % {"action": label}
        if request.htmx and name not in {"suspend", "resume"}:
            project.refresh_from_db()
            context = _detail_context(request, project, refusal=(header, error.reasons))
            return render(request, "projects/_next_step.html", context, status=422)
        if name in {"suspend", "resume"}:
            # A missing reason: say it next to the folded form, which stays open.
            messages.error(request, _refusal_text(header, error.reasons))
            return HttpResponseRedirect(f"{detail_url}#suspend-title")
        project.refresh_from_db()
        unmet = [c for gate in queries.checklist(project, transitions=[name]) for c in gate.unmet]
        messages.error(
            request,
            _refusal_header(header, len(unmet))
            if unmet
            else _refusal_text(header, error.reasons),  # unknown transition, wrong stage
        )
        return HttpResponseRedirect(f"{detail_url}#next-step")
    messages.success(request, str(TRANSITION_DONE.get(name, _("C'est fait."))))
    if request.htmx:
        return HttpResponseClientRedirect(detail_url)
    return HttpResponseRedirect(detail_url)


@login_required
@require_POST
def project_decide(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = policies.get_project_for(request.user, pk)
    if not policies.can_decide_project(request.user, project):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.record_decision(
                project=project,
                by=request.user,
                outcome=data["outcome"],
                rationale=data["rationale"],
                deliberation_reference=data["deliberation_reference"],
                new_title=data["new_title"],
            )
        except DomainError as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        else:
            message = _("Décision enregistrée : %(outcome)s.") % {
                "outcome": decision.get_outcome_display()
            }
            if decision.new_project is not None:
                message += " " + _("Le nouveau projet %(ref)s reprend le diagnostic.") % {
                    "ref": decision.new_project.reference
                }
            messages.success(request, message)
            url = reverse("projects:detail", args=[project.pk])
            return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)
    project.refresh_from_db()
    context = _detail_context(request, project, decision_form=form)
    template = "projects/_decision_form.html" if request.htmx else "projects/project_detail.html"
    return render(request, template, context, status=422)


@login_required
@require_POST
def project_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    project = policies.get_project_for(request.user, pk)
    if not policies.can_sign_off_project(request.user, project):
        raise PermissionDenied
    try:
        services.sign_off_stage(project=project, by=request.user)
    except DomainError as error:
        messages.error(request, _refusal_text(_("La validation est refusée :"), error.reasons))
    else:
        messages.success(
            request,
            _("L'étape « %(stage)s » est validée au nom %(du_org)s.")
            % {"stage": project.get_stage_display(), "du_org": du(request.user.organisation)},  # type: ignore[union-attr]
        )
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_GET
def partnership_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the "agreement in force" condition is fixed: the agreements of the project's
    partnership (a condition's evidence page takes the project's id)."""
    project = policies.get_project_for(request.user, pk)
    if not can_read_partnership_records(request.user, project.partnership):
        raise Http404  # an evaluator of one project does not read the partnership's records
    url = reverse("partnerships:detail", args=[project.partnership_id])
    return HttpResponseRedirect(f"{url}#agreements-title")
