"""The charter conformity report: page, printable document, CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reciproca.charter import conformity as charter_conformity
from reciproca.charter import engine
from reciproca.diagnosis import queries
from reciproca.diagnosis.views._shared import (
    _base_context,
    _criterion_rows,
    _radar,
)
from reciproca.projects import queries as project_queries

# --- the conformity report --------------------------------------------------------------------


@login_required
@require_GET
def conformity_view(request: HttpRequest, project_pk: int) -> HttpResponse:
    """Every clause of the charter for this project; `?format=html` gives a printable
    standalone document, `?format=csv` a spreadsheet."""
    # the project read within the user's scope (404 outside it) with what the page shows
    page = queries.diagnosis_page(project_pk, request.user)
    project = page.project
    wanted = request.GET.get("format", "")
    if wanted not in ("", "html", "csv"):
        return HttpResponseBadRequest(_("Format inconnu : html ou csv."))
    try:
        with engine.sharing(page.gate_facts()):  # the checks read the page's rows
            report = project_queries.conformity_report(project)
    except engine.CharterNotLoaded as error:
        messages.error(request, str(error))
        return redirect("diagnosis:overview", project_pk=project.pk)
    filename = f"conformite-{slugify(project.reference)}-{timezone.localdate():%Y%m%d}"
    if wanted == "csv":
        response = HttpResponse(
            charter_conformity.report_csv(report, absolute=request.build_absolute_uri),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    context = _base_context(page) | {
        "report": report,
        "radar": _radar(
            page, title=_("Grille de développement durable : proposition et alternatives")
        ),
        "criterion_rows": _criterion_rows(page, page.options),
        "score_options": page.options,
        "absolute": request.build_absolute_uri("/").rstrip("/"),
    }
    if wanted == "html":
        response = render(request, "diagnosis/conformity_document.html", context)
        response["Content-Disposition"] = f'attachment; filename="{filename}.html"'
        return response
    return render(request, "diagnosis/conformity.html", context)
