"""Pages of the results app: the framework and its progress, the evaluation plan, a period's
report (values, evidence, comments, spreadsheet), evaluations and lessons, participation.

Every page reads through the project's policy (404 outside it); every action calls one service
and shows its refusal as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.uploads import serve_document
from reciproca.partnerships.models import Organisation
from reciproca.projects import queries as project_queries
from reciproca.projects.budget import total_budget
from reciproca.projects.models import Project
from reciproca.projects.participation import sources as participation_sources
from reciproca.reference.models import SdgTarget
from reciproca.results import charts, disaggregation, policies, queries, services, xlsx
from reciproca.results.models import (
    Criterion,
    Evaluation,
    Evidence,
    Indicator,
    Level,
    Notification,
    Period,
    Report,
    ResultNode,
    ResultsSignOff,
    Timing,
)
from reciproca.results.notifications import wording


def _project(request: HttpRequest, pk: int) -> Project:
    return policies.get_project_for(request.user, pk)


def _decimal(raw: str | None) -> Decimal | None:
    if raw is None or not raw.strip():
        return None
    return disaggregation.to_decimal(raw)


def _date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise DomainError(
            _("« %(value)s » n'est pas une date (AAAA-MM-JJ).") % {"value": raw}
        ) from exc


def _writable(request: HttpRequest, project_pk: int) -> Project:
    """The project of a write: 404 if the user may not see it, 403 if it may not change its
    results — asked before the request's data is read (each service asks its own finer right:
    reporting, reviewing, signing)."""
    project = _project(request, project_pk)
    if not policies.can_edit(request.user, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier les résultats de ce projet."))
    return project


def _revision(request: HttpRequest) -> int | None:
    """The revision an edit form was rendered with (no lost update: `core.versioning`); a
    post without one (a script) is not checked. A conflict is refused like any other rule."""
    raw = request.POST.get("revision", "")
    return int(raw) if raw.isdigit() else None


def _act(request: HttpRequest, target: str, action: Callable[[], Any], done: str) -> HttpResponse:
    """Run one service call; its refusal becomes an error message, nothing changed."""
    try:
        action()
    except PermissionDenied:
        raise  # a refused right is a 403 (core.middleware), not a message
    except DomainError as error:
        for reason in error.reasons:
            messages.error(request, reason)
    except (ValueError, KeyError):
        messages.error(request, _("La saisie est incomplète ou invalide."))
    else:
        messages.success(request, done)
    return redirect(target)


def _base(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    return {
        "project": project,
        "can_edit": policies.can_edit(user, project),
        "can_report": policies.can_report(user, project),
        "can_review": policies.can_review(user, project),
        "can_sign_off": policies.can_sign_off(user, project),
        "frozen_reason": policies.frozen_reason(project),
    }


# --- the framework page ------------------------------------------------------------------------


@login_required
@require_GET
def page(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    results = queries.results_page(project)
    checklist = [
        c
        for gate in project_queries.checklist(project, transitions=["start_implementation"])
        for c in gate.conditions
        if c.check in {"results_framework_defined", "evaluation_plan_validated"}
    ]
    context = _base(request, project) | {
        "page": results,
        "framework": results.framework,
        "levels": Level.choices,
        "parents": [row.node for row in results.nodes if row.node.level != Level.ACTIVITY],
        "indicator_nodes": [row.node for row in results.nodes],
        "kinds": Indicator.Kind.choices,
        "aggregations": Indicator.Aggregation.choices,
        "families": Indicator.Family.choices,
        "templates": engine.rule("disaggregation_templates"),
        "partners": [p.organisation for p in project.partners.select_related("organisation")],
        "checklist": checklist,
        "framework_signed": results.signoffs.get(ResultsSignOff.Subject.FRAMEWORK, []),
        "framework_missing": results.missing.get(ResultsSignOff.Subject.FRAMEWORK, []),
    }
    return render(request, "results/page.html", context)


@login_required
@require_GET
def report(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The printable results report: the same progress charts and tables as the page."""
    project = _project(request, project_pk)
    return render(
        request, "results/report.html", {"project": project, "page": queries.results_page(project)}
    )


@login_required
@require_POST
def add_node(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    fw = queries.framework(project)
    parent_pk = request.POST.get("parent") or None
    led_by_pk = request.POST.get("led_by") or None

    def act() -> None:
        parent = (
            get_object_or_404(ResultNode, pk=parent_pk, framework=fw)
            if parent_pk and fw.pk
            else None
        )
        led_by = get_object_or_404(Organisation, pk=led_by_pk) if led_by_pk else None
        services.add_node(
            project=project,
            by=request.user,
            level=request.POST.get("level", ""),
            title=request.POST.get("title", ""),
            parent=parent,
            description=request.POST.get("description", ""),
            led_by=led_by,
        )

    return _act(
        request,
        reverse("results:page", args=[project.pk]) + "#cadre",
        act,
        _("L'élément est ajouté au cadre de résultats."),
    )


@login_required
@require_POST
def add_indicator(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    fw = queries.framework(project)

    def act() -> None:
        node = get_object_or_404(ResultNode, pk=request.POST.get("node") or 0, framework_id=fw.pk)
        custom_name = request.POST.get("custom_dimension", "").strip()
        custom = (
            {custom_name: request.POST.get("custom_values", "").split(",")} if custom_name else {}
        )
        dims = services.dimensions_from_templates(request.POST.getlist("templates"), custom)
        services.add_indicator(
            project=project,
            by=request.user,
            node=node,
            title=request.POST.get("title", ""),
            kind=request.POST.get("kind", ""),
            aggregation=request.POST.get("aggregation", ""),
            unit=request.POST.get("unit", ""),
            baseline=_decimal(request.POST.get("baseline")),
            baseline_date=_date(request.POST.get("baseline_date")),
            family=request.POST.get("family") or Indicator.Family.GENERAL,
            sdg_targets=SdgTarget.objects.filter(
                code__in=request.POST.get("sdg_targets", "").replace(",", " ").split()
            ),
            dimensions=dims,
            scale=request.POST.get("scale", "").splitlines(),
        )

    return _act(
        request,
        reverse("results:page", args=[project.pk]) + "#cadre",
        act,
        _("L'indicateur est ajouté."),
    )


@login_required
@require_POST
def add_period(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)

    def act() -> None:
        start, end = _date(request.POST.get("start")), _date(request.POST.get("end"))
        if start is None or end is None:
            raise DomainError(_("Indiquez le début et la fin de la période."))
        services.add_period(
            project=project,
            by=request.user,
            label=request.POST.get("label", ""),
            start=start,
            end=end,
        )

    return _act(
        request,
        reverse("results:page", args=[project.pk]) + "#periodes",
        act,
        _("La période est ajoutée."),
    )


@login_required
@require_POST
def set_target(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    fw = queries.framework(project)

    def act() -> None:
        indicator = get_object_or_404(
            Indicator, pk=request.POST.get("indicator") or 0, node__framework_id=fw.pk
        )
        period = get_object_or_404(Period, pk=request.POST.get("period") or 0, framework_id=fw.pk)
        value = _decimal(request.POST.get("value"))
        if value is None:
            raise DomainError(_("Indiquez la cible."))
        services.set_target(
            project=project, by=request.user, indicator=indicator, period=period, value=value
        )

    return _act(
        request,
        reverse("results:page", args=[project.pk]) + "#cadre",
        act,
        _("La cible est enregistrée."),
    )


@login_required
@require_POST
def set_alignment(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    fields = [
        "development_plan",
        "development_plan_reference",
        "development_plan_objectives",
        "actors_host",
        "actors_partner",
    ]
    values: dict[str, Any] = {f: request.POST.get(f, "") for f in fields}
    values["revision"] = _revision(request)
    return _act(
        request,
        reverse("results:page", args=[project.pk]) + "#alignement",
        lambda: services.set_alignment(project=project, by=request.user, **values),
        _("L'alignement est enregistré."),
    )


@login_required
@require_POST
def sign_off(request: HttpRequest, project_pk: int, subject: str) -> HttpResponse:
    project = _writable(request, project_pk)
    target = "results:page" if subject == ResultsSignOff.Subject.FRAMEWORK else "results:plan"
    return _act(
        request,
        reverse(target, args=[project.pk]),
        lambda: services.sign_off(project=project, by=request.user, subject=subject),
        _("Votre organisation a validé cette version."),
    )


# --- the evaluation plan --------------------------------------------------------------------------


@login_required
@require_GET
def plan(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    fw = queries.framework(project)
    budget = total_budget(project, currency=fw.plan_currency)
    share = None
    threshold = engine.rule("evaluation_budget_share_min")
    if budget is not None and budget.amount and fw.plan_cost is not None:
        share = float(fw.plan_cost / budget.amount * 100)
    results = queries.results_page(project)
    context = _base(request, project) | {
        "framework": fw,
        "questions": list(fw.questions.all()) if fw.pk else [],
        "team": list(fw.team.select_related("organisation")) if fw.pk else [],
        "criteria": Criterion.choices,
        "timings": Timing.choices,
        "chosen_timings": fw.plan_timings,
        "budget": budget,
        "share": share,
        "threshold": threshold,
        "below_threshold": share is not None and share < threshold,
        "partners": [p.organisation for p in project.partners.select_related("organisation")],
        "plan_signed": results.signoffs.get(ResultsSignOff.Subject.PLAN, []),
        "plan_missing": results.missing.get(ResultsSignOff.Subject.PLAN, []),
    }
    return render(request, "results/plan.html", context)


@login_required
@require_POST
def update_plan(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    return _act(
        request,
        reverse("results:plan", args=[project.pk]),
        lambda: services.update_plan(
            project=project,
            by=request.user,
            timings=request.POST.getlist("timings"),
            participants=request.POST.get("participants", ""),
            cost=_decimal(request.POST.get("cost")),
            revision=_revision(request),
        ),
        _("Le dispositif d'évaluation est enregistré."),
    )


@login_required
@require_POST
def add_question(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    return _act(
        request,
        reverse("results:plan", args=[project.pk]),
        lambda: services.add_question(
            project=project,
            by=request.user,
            criterion=request.POST.get("criterion", ""),
            text=request.POST.get("text", ""),
        ),
        _("La question est ajoutée."),
    )


@login_required
@require_POST
def add_team_member(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)

    def act() -> None:
        organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
        services.add_team_member(
            project=project,
            by=request.user,
            name=request.POST.get("name", ""),
            organisation=organisation,
            role=request.POST.get("role", ""),
        )

    return _act(
        request,
        reverse("results:plan", args=[project.pk]),
        act,
        _("Le membre est ajouté à l'équipe."),
    )


# --- a period's report ----------------------------------------------------------------------


def _period(project: Project, pk: int) -> Period:
    try:
        return Period.objects.select_related("framework").get(pk=pk, framework__project=project)
    except Period.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def period(request: HttpRequest, project_pk: int, period_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    current = _period(project, period_pk)
    fw = current.framework
    report = queries.period_report(fw, current)
    rows = []
    for indicator, value in queries.indicators_with_values(fw, current):
        cells = disaggregation.cells(indicator.dimensions)
        breakdown = value.breakdown if value else {}
        rows.append(
            {
                "indicator": indicator,
                "value": value,
                "cells": [(c, disaggregation.cell_label(c), breakdown.get(c, "")) for c in cells],
                "revisions": [v for v in indicator.values.all() if not v.is_current],
                "comments": list(indicator.comments.all()),
            }
        )
    context = _base(request, project) | {
        "period": current,
        "report": report,
        "rows": rows,
        "locked": report.state == Report.State.APPROVED,
        "editable": report.state in (Report.State.DRAFT, Report.State.RETURNED),
    }
    return render(request, "results/period.html", context)


@login_required
@require_POST
def report_value(request: HttpRequest, project_pk: int, period_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    current = _period(project, period_pk)

    def act() -> None:
        indicator = get_object_or_404(
            Indicator,
            pk=request.POST.get("indicator") or 0,
            node__framework_id=current.framework_id,
        )
        prefix = "cell:"
        breakdown = {
            k[len(prefix) :]: str(v)
            for k, v in request.POST.items()
            if k.startswith(prefix) and str(v).strip()
        }
        value = services.report_value(
            project=project,
            by=request.user,
            indicator=indicator,
            period=current,
            value=_decimal(request.POST.get("value")),
            breakdown=breakdown,
            narrative=request.POST.get("narrative", ""),
            level=request.POST.get("level", ""),
            reason=request.POST.get("reason", ""),
        )
        upload = request.FILES.get("evidence")
        if upload is not None:
            services.add_evidence(project=project, by=request.user, value=value, upload=upload)

    return _act(
        request,
        reverse("results:period", args=[project.pk, current.pk]),
        act,
        _("La valeur est enregistrée."),
    )


@login_required
@require_POST
def report_action(
    request: HttpRequest, project_pk: int, period_pk: int, action: str
) -> HttpResponse:
    project = _writable(request, project_pk)
    current = _period(project, period_pk)
    target = reverse("results:period", args=[project.pk, current.pk])
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (
            lambda: services.submit_report(project=project, by=request.user, period=current),
            _("Le rapport est soumis."),
        ),
        "return": (
            lambda: services.return_report(
                project=project,
                by=request.user,
                period=current,
                reason=request.POST.get("reason", ""),
            ),
            _("Le rapport est renvoyé à ses auteurs."),
        ),
        "approve": (
            lambda: services.approve_report(project=project, by=request.user, period=current),
            _("Le rapport est approuvé : la période est verrouillée."),
        ),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    return _act(request, target, call, done)


@login_required
@require_POST
def comment(request: HttpRequest, project_pk: int, period_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    current = _period(project, period_pk)

    def act() -> None:
        indicator = get_object_or_404(
            Indicator,
            pk=request.POST.get("indicator") or 0,
            node__framework_id=current.framework_id,
        )
        services.add_comment(
            project=project,
            by=request.user,
            indicator=indicator,
            period=current,
            text=request.POST.get("text", ""),
        )

    return _act(
        request,
        reverse("results:period", args=[project.pk, current.pk]),
        act,
        _("Le commentaire est ajouté."),
    )


@login_required
@require_GET
def evidence(request: HttpRequest, project_pk: int, evidence_pk: int) -> HttpResponseBase:
    """An evidence file, only to those who may see the project (404 otherwise)."""
    project = _project(request, project_pk)
    try:
        item = Evidence.objects.get(
            pk=evidence_pk, value__indicator__node__framework__project=project
        )
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    return serve_document(item.file, item.name)


@login_required
@require_GET
def workbook(request: HttpRequest, project_pk: int, period_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    current = _period(project, period_pk)
    data = xlsx.template(project, current, language=get_language() or "fr")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{project.reference}-{current.pk}.xlsx"'
    )
    return response


@login_required
@require_POST
def upload_workbook(request: HttpRequest, project_pk: int, period_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    current = _period(project, period_pk)
    upload = request.FILES.get("workbook")

    def act() -> None:
        if upload is None:
            raise DomainError(_("Choisissez le classeur à déposer."))
        if (upload.size or 0) > xlsx.MAX_UPLOAD:
            raise DomainError(_("Le fichier dépasse 5 Mo."))
        xlsx.import_workbook(
            project=project,
            by=request.user,
            period=current,
            data=upload.read(),
            reason=request.POST.get("reason", ""),
        )

    return _act(
        request,
        reverse("results:period", args=[project.pk, current.pk]),
        act,
        _("Toutes les valeurs du classeur sont enregistrées."),
    )


# --- evaluations, lessons, participation -----------------------------------------------------


@login_required
@require_GET
def evaluations(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    fw = queries.framework(project)
    items = (
        list(fw.evaluations.prefetch_related("ratings", "responses__organisation")) if fw.pk else []
    )
    context = _base(request, project) | {
        "evaluations": items,
        "criteria": Criterion.choices,
        "timings": Timing.choices,
        "activities": list(queries.activities(fw)) if fw.pk else [],
        "participations": []
        if not fw.pk
        else list(fw.nodes.filter(level=Level.ACTIVITY).prefetch_related("participations")),
        "templates": engine.rule("disaggregation_templates"),
    }
    return render(request, "results/evaluations.html", context)


@login_required
@require_POST
def record_evaluation(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)

    def act() -> None:
        ratings = {
            code: (int(request.POST[f"score:{code}"]), request.POST.get(f"evidence:{code}", ""))
            for code in Criterion.values
            if request.POST.get(f"score:{code}")
        }
        services.record_evaluation(
            project=project,
            by=request.user,
            timing=request.POST.get("timing", ""),
            title=request.POST.get("title", ""),
            ratings=ratings,
            findings=request.POST.get("findings", ""),
            recommendations=request.POST.get("recommendations", ""),
            lessons=request.POST.get("lessons", ""),
            completed_on=_date(request.POST.get("completed_on")),
        )

    return _act(
        request,
        reverse("results:evaluations", args=[project.pk]),
        act,
        _("L'évaluation est enregistrée."),
    )


@login_required
@require_POST
def respond(request: HttpRequest, project_pk: int, evaluation_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    item = get_object_or_404(Evaluation, pk=evaluation_pk, framework__project=project)
    return _act(
        request,
        reverse("results:evaluations", args=[project.pk]),
        lambda: services.respond_to_evaluation(
            project=project, by=request.user, evaluation=item, text=request.POST.get("text", "")
        ),
        _("La réponse de votre organisation est enregistrée."),
    )


@login_required
@require_POST
def record_participation(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _writable(request, project_pk)
    fw = queries.framework(project)

    def act() -> None:
        activity = get_object_or_404(
            ResultNode, pk=request.POST.get("activity") or 0, framework_id=fw.pk
        )
        held_on = _date(request.POST.get("held_on"))
        if held_on is None:
            raise DomainError(_("Indiquez la date."))
        breakdown = {
            k[5:]: str(v)
            for k, v in request.POST.items()
            if k.startswith("cell:") and str(v).strip()
        }
        services.record_participation(
            project=project,
            by=request.user,
            activity=activity,
            held_on=held_on,
            label=request.POST.get("label", ""),
            breakdown=breakdown,
        )

    return _act(
        request,
        reverse("results:evaluations", args=[project.pk]) + "#participation",
        act,
        _("La participation est enregistrée."),
    )


@login_required
@require_GET
def lessons(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "results/lessons.html",
        {"query": query, "evaluations": queries.lessons_visible_to(request.user, query)[:100]},
    )


@login_required
@require_GET
def participation(request: HttpRequest) -> HttpResponse:
    rows = queries.participation_shares(request.user)
    chart = charts.shares_svg(
        [(f"{r.year} · {r.partnership}", r.women_share, r.young_share) for r in rows]
    )
    sources = participation_sources()
    context = {
        "rows": rows,
        "partnerships": queries.participation_shares(request.user, per_year=False),
        "chart": chart,
        "sources": sources,
    }
    return render(request, "results/participation.html", context)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    items = list(Notification.objects.filter(user=user).select_related("project")[:50])
    for item in items:
        item.text = wording(item.code, item.params)  # type: ignore[attr-defined]
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "results/notifications.html", {"items": items})
