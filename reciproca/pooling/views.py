"""The finder's pages: for a project (and its diagnosis), a partnership or a territory; the
export; the coordination decision; the index and its imports."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reciproca.core.exceptions import DomainError
from reciproca.partnerships.policies import get_partnership_for
from reciproca.pooling import finder, policies, services
from reciproca.pooling.forms import CoordinationForm, FinderForm, UploadForm
from reciproca.pooling.models import Activity, Coordination, ImportRun, SourceFile
from reciproca.projects.policies import get_project_for
from reciproca.territories.models import Territory

EXPORT_COLUMNS = [
    "rang",
    "identifiant",
    "titre",
    "acteur",
    "nature de l'acteur",
    "pays",
    "début",
    "fin",
    "montant",
    "devise",
    "score",
    "raisons",
]


def _rows(found: list[finder.Found]) -> list[list[Any]]:
    return [
        [
            rank,
            f.activity.identifier,
            f.activity.title,
            f.activity.reporting_org_name or f.activity.reporting_org_ref,
            f.actor_label,
            f.activity.countries,
            f.activity.start_date.isoformat() if f.activity.start_date else "",
            f.activity.end_date.isoformat() if f.activity.end_date else "",
            str(f.activity.amount) if f.activity.amount is not None else "",
            f.activity.currency,
            f.score,
            " ; ".join(f.reasons),
        ]
        for rank, f in enumerate(found, start=1)
    ]


def export(found: list[finder.Found], fmt: str, name: str) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Autres acteurs"))
        sheet.append(EXPORT_COLUMNS)
        for row in _rows(found):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(_rows(found))
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _render_finder(
    request: HttpRequest, query: finder.Query, context: dict[str, Any], name: str
) -> HttpResponse:
    found = finder.find(query)
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return export(found, fmt, name)
    context |= {"found": found, "query": query, "export_query": request.GET.urlencode()}
    return render(request, "pooling/finder.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_finder(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request.user, pk)
    can_record = policies.can_record_coordination(request.user, project)
    if request.method == "POST":
        form = CoordinationForm(request.POST)
        if not can_record:
            raise HttpForbidden
        if form.is_valid():
            activity = get_object_or_404(Activity, pk=form.cleaned_data["activity"])
            try:
                services.record_coordination(
                    project=project,
                    activity=activity,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except DomainError as error:
                for reason in error.reasons:
                    messages.error(request, reason)
            else:
                messages.success(request, _("La décision de coordination est enregistrée."))
        else:
            messages.error(request, _("La décision de coordination n'est pas valide."))
        return redirect("pooling:project", pk=project.pk)
    filters = FinderForm(request.GET or None)
    query = finder.query_for_project(project, **filters.filters())
    found = finder.find(query)
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return export(found, fmt, f"mutualisation-{project.reference}")
    # Opening the finder is the consultation the charter may require (pooling_consulted).
    services.record_consultation(project=project, by=request.user, found=len(found))
    context = {
        "subject": project,
        "subject_label": project.title,
        "project": project,
        "filters": filters,
        "can_record": can_record,
        "outcomes": Coordination.Outcome.choices,
        "coordinations": project.pooling_coordinations.select_related("recorded_by"),
        "found": found,
        "query": query,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "pooling/finder.html", context)


@login_required
@require_GET
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel of the project page and the diagnosis overview (loaded by HTMX)."""
    project = get_project_for(request.user, pk)
    found = finder.find(finder.query_for_project(project))
    panel = {
        "project": project,
        "top": found[:3],
        "total": len(found),
        "coordination_count": project.pooling_coordinations.count(),
    }
    return render(request, "pooling/_panel.html", {"panel": panel})


@login_required
@require_GET
def partnership_finder(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    filters = FinderForm(request.GET or None)
    query = finder.Query(territories=[partnership.territory], **filters.filters())  # type: ignore[arg-type]
    return _render_finder(
        request,
        query,
        {"subject": partnership, "subject_label": partnership.name, "filters": filters},
        f"mutualisation-partenariat-{partnership.pk}",
    )


@login_required
@require_GET
def territory_finder(request: HttpRequest, pk: int) -> HttpResponse:
    if not policies.can_search_index(request.user):
        raise Http404
    territory = get_object_or_404(Territory, pk=pk)
    filters = FinderForm(request.GET or None)
    query = finder.Query(territories=[territory], **filters.filters())  # type: ignore[arg-type]
    return _render_finder(
        request,
        query,
        {"subject": territory, "subject_label": territory.name, "filters": filters},
        f"mutualisation-{territory.iso_code or territory.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    if not policies.can_search_index(request.user):
        raise Http404
    can_manage = policies.can_manage_index(request.user)
    form = UploadForm()
    if request.method == "POST":
        if not can_manage:
            raise HttpForbidden
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = services.start_upload_import(
                    upload=form.cleaned_data["file"], by=request.user
                )
            except DomainError as error:
                for reason in error.reasons:
                    form.add_error("file", reason)
            else:
                return redirect("pooling:run", pk=run.pk)
    context = {
        "activity_count": Activity.objects.count(),
        "file_count": SourceFile.objects.count(),
        "territories": Territory.objects.exclude(iso_code="").filter(valid_until__isnull=True),
        "runs": policies.runs_visible_to(request.user)[:10],
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "pooling/index.html", context)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(policies.runs_visible_to(request.user), pk=pk)
    template = "pooling/_run.html" if request.headers.get("HX-Request") else "pooling/run.html"
    return render(
        request,
        template,
        {"run": run, "done": run.state in (ImportRun.State.DONE, ImportRun.State.FAILED)},
    )
