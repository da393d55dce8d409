"""Needs from both sides: add, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reciproca.core.exceptions import DomainError
from reciproca.core.forms import refusal_status
from reciproca.diagnosis import services
from reciproca.diagnosis.forms import (
    NeedForm,
)
from reciproca.diagnosis.models import (
    Need,
)
from reciproca.diagnosis.views._shared import (
    _add_errors,
    _frozen,
    _organisations,
    _overview_url,
    _project,
    _require_edit,
    _side_labels,
    _simple_post,
)
from reciproca.projects.models import Project

# --- needs ------------------------------------------------------------------------------------


def _need_form_page(request: HttpRequest, project: Project, need: Need | None) -> HttpResponse:
    _require_edit(request, project)
    if (response := _frozen(request, project)) is not None:
        return response
    organisations = _organisations(project)
    labels = _side_labels(project)
    status = 200
    if request.method == "POST":
        form = NeedForm(request.POST, organisations=organisations, side_labels=labels)
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop("revision")
            try:
                if need is None:
                    services.add_need(
                        project=project,
                        by=request.user,
                        side=data["side"],
                        title=data["title"],
                        population_concerned=data["population_concerned"],
                        evidence=data["evidence"],
                        description=data["description"],
                        author_organisation=data["author_organisation"],
                    )
                    messages.success(request, _("Le besoin est ajouté au diagnostic."))
                else:
                    services.update_need(need=need, by=request.user, revision=revision, **data)
                    messages.success(request, _("Le besoin est modifié."))
            except DomainError as error:
                _add_errors(form, error)
            else:
                return redirect(_overview_url(project, "#besoins"))
        status = refusal_status(form)
    elif need is None:
        form = NeedForm(
            organisations=organisations,
            side_labels=labels,
            initial={
                "revision": 0,
                "author_organisation": getattr(request.user, "organisation_id", None),
                "side": request.GET.get("territoire", "").upper() or None,
            },
        )
    else:
        form = NeedForm(
            organisations=organisations,
            side_labels=labels,
            initial=NeedForm.initial_from(need),
        )
    return render(
        request,
        "diagnosis/need_form.html",
        {"project": project, "form": form, "need": need},
        status=status,
    )


def _need(project: Project, need_pk: int) -> Need:
    return get_object_or_404(
        Need.objects.select_related("diagnosis", "author_organisation"),
        pk=need_pk,
        diagnosis__project=project,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    return _need_form_page(request, _project(request, project_pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, project_pk: int, need_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    need = _need(project, need_pk)
    need.diagnosis.project = project
    return _need_form_page(request, project, need)


@login_required
@require_POST
def need_delete(request: HttpRequest, project_pk: int, need_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    need = _need(project, need_pk)
    need.diagnosis.project = project
    return _simple_post(
        request,
        project,
        lambda: services.remove_need(need=need, by=request.user),
        _("Le besoin est supprimé."),
        "#besoins",
    )
