"""Pages of the finance app: a project's budget and funding plan, a partnership's reciprocity
ledger and partner revenue, its atlas sheet, exchange rates, the e-APD declaration.

Every page reads through the scoped fetch of its project or partnership (404 outside it);
every write calls the one service, which checks the policy again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError
from reciproca.core.forms import add_refusal, refusal_status
from reciproca.finance import charts, eapd, forms, policies, queries, services
from reciproca.finance import plan as plans
from reciproca.finance.models import (
    BudgetCategory,
    BudgetLine,
    DeclarationProfile,
    ExchangeRate,
    FundingPlan,
    FundingSource,
    SkillsSponsorship,
    SourceStatus,
    StaffTime,
    Transaction,
)
from reciproca.partnerships.models import Organisation, Partnership
from reciproca.projects.models import Project
from reciproca.projects.policies import get_project_for, projects_visible_to
from reciproca.projects.queries import checklist


def _errors(form: Any, error: DomainError) -> None:
    add_refusal(form, error)


# --- a project's money ------------------------------------------------------------------------


def _project_context(request: HttpRequest, project: Project, **bound: Any) -> dict[str, Any]:
    summary = plans.funding_plan(project)
    budget = summary.budget
    years = [str(row.year) for row in budget.years]
    chart = charts.bars(
        title=_("Budget et réalisé par année (EUR, budget aux taux du %(date)s)")
        % {"date": budget.rates_date.isoformat()},
        categories=years,
        series=[
            charts.Series(
                _("budget"), [float(r.budget.amount) if r.budget else None for r in budget.years]
            ),
            charts.Series(
                _("réalisé"), [float(r.actual.amount) if r.actual else None for r in budget.years]
            ),
        ],
        unit="EUR",
    )
    condition = next(
        (
            c
            for gate in checklist(project)
            for c in gate.conditions
            if c.check == "funding_plan_complete"
        ),
        None,
    )
    can_edit = policies.can_edit_finance(request.user, project)
    sponsorships = [
        (s, plans.sponsorship_value(s))
        for s in SkillsSponsorship.objects.filter(project=project).select_related("company")
    ]
    staff = [
        (t, plans.staff_value(t))
        for t in StaffTime.objects.filter(project=project).select_related("service")
    ]
    transactions = Transaction.objects.filter(project=project).prefetch_related("documents")
    return {
        "project": project,
        "summary": summary,
        "budget": budget,
        "categories": [
            (BudgetCategory(code).label, money) for code, money in budget.by_category.items()
        ],
        "chart": chart,
        "condition": condition,
        "can_edit": can_edit,
        "is_host_officer": policies.is_host_officer(request.user),
        "sponsorships": sponsorships,
        "staff": staff,
        "transactions": transactions,
        "budget_lines": BudgetLine.objects.filter(project=project),
        "statuses": SourceStatus.choices,
        "budget_form": bound.get("budget_form") or (forms.BudgetLineForm() if can_edit else None),
        "transaction_form": bound.get("transaction_form")
        or (forms.TransactionForm() if can_edit else None),
        "source_form": bound.get("source_form")
        or (forms.FundingSourceForm() if can_edit else None),
        "staff_form": bound.get("staff_form") or (forms.StaffTimeForm() if can_edit else None),
        "sponsorship_form": bound.get("sponsorship_form")
        or (forms.SponsorshipForm() if can_edit else None),
        "profile_form": bound.get("profile_form")
        or (forms.DeclarationProfileForm(initial=_profile_initial(project)) if can_edit else None),
        "plan_form": bound.get("plan_form")
        or (
            forms.PlanForm(
                initial=forms.PlanForm.initial_from(
                    FundingPlan.objects.filter(project=project).first()
                )
                | {"rates_date": summary.rates_date}
            )
            if can_edit
            else None
        ),
    }


def _profile_initial(project: Project) -> dict[str, Any]:
    profile = DeclarationProfile.objects.filter(project=project).first()
    if profile is None:
        return {"channel_code": "11004", "aid_type": "C01", "action_type": "COOPERATION"}
    return {
        "channel_code": profile.channel_code,
        "aid_type": profile.aid_type,
        "action_type": profile.action_type,
    }


@login_required
@require_GET
def project_finance(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for(request.user, project_pk)
    return render(request, "finance/project.html", _project_context(request, project))


def _project_post(
    request: HttpRequest, project_pk: int, form_class: Any, key: str, write: Any, done: str
) -> HttpResponse:
    project = _editable_project(request, project_pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            write(project, form.cleaned_data)
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, done)
            return redirect("finance:project", project_pk=project.pk)
    context = _project_context(request, project, **{key: form})
    return render(request, "finance/project.html", context, status=refusal_status(form))


@login_required
@require_POST
def budget_line_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        services.set_budget_line(project=project, by=request.user, **data)

    return _project_post(
        request,
        project_pk,
        forms.BudgetLineForm,
        "budget_form",
        write,
        _("La ligne budgétaire est enregistrée."),
    )


@login_required
@require_POST
def transaction_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        from django.db import transaction as db

        upload = data.pop("document", None)
        with db.atomic():
            tx = services.record_transaction(project=project, by=request.user, **data)
            if upload:
                services.attach_document(transaction_=tx, by=request.user, upload=upload)

    return _project_post(
        request,
        project_pk,
        forms.TransactionForm,
        "transaction_form",
        write,
        _("L'opération est enregistrée."),
    )


@login_required
@require_POST
def source_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        services.add_funding_source(project=project, by=request.user, **data)

    return _project_post(
        request,
        project_pk,
        forms.FundingSourceForm,
        "source_form",
        write,
        _("La source de financement est enregistrée."),
    )


@login_required
@require_POST
def plan_set(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        services.set_funding_plan(project=project, by=request.user, **data)

    return _project_post(
        request,
        project_pk,
        forms.PlanForm,
        "plan_form",
        write,
        _("Le plan de financement est enregistré."),
    )


def _editable_project(request: HttpRequest, project_pk: int) -> Project:
    """The project if the user may see it (else 404) and write its money (else 403): the right
    is asked before the request's data is read."""
    project = get_project_for(request.user, project_pk)
    if not policies.can_edit_finance(request.user, project):
        raise Forbidden
    return project


def _editable_ledger(request: HttpRequest, partnership_pk: int) -> Partnership:
    partnership = policies.get_ledger_partnership_for(request.user, partnership_pk)
    if not policies.can_edit_ledger(request.user, partnership):
        raise Forbidden
    return partnership


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, project_pk: int, line_pk: int) -> HttpResponse:
    project = _editable_project(request, project_pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, project=project)
    line.project = project
    try:
        services.remove_budget_line(
            line=line, by=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, " ".join(error.reasons))
    else:
        messages.success(request, _("La ligne budgétaire est supprimée."))
    return redirect(f"{_project_url(project)}#budget")


@login_required
@require_POST
def source_status(request: HttpRequest, project_pk: int, source_pk: int) -> HttpResponse:
    project = _editable_project(request, project_pk)
    source = get_object_or_404(FundingSource, pk=source_pk, project=project)
    source.project = project
    try:
        raw = str(request.POST.get("revision", ""))
        services.set_source_status(
            source=source,
            by=request.user,
            status=request.POST.get("status", ""),
            revision=int(raw) if raw.isdigit() else None,  # a script's post is not checked
        )
    except DomainError as error:
        messages.error(request, " ".join(error.reasons))
    else:
        messages.success(request, _("Le statut de la source est enregistré."))
    return redirect(f"{_project_url(project)}#plan")


def _project_url(project: Project) -> str:
    from django.urls import reverse

    return reverse("finance:project", args=[project.pk])


@login_required
@require_POST
def staff_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        services.record_staff_time(project=project, by=request.user, **data)

    return _project_post(
        request,
        project_pk,
        forms.StaffTimeForm,
        "staff_form",
        write,
        _("Le temps d'agent est enregistré."),
    )


@login_required
@require_POST
def sponsorship_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        services.record_sponsorship(project=project, by=request.user, **data)

    return _project_post(
        request,
        project_pk,
        forms.SponsorshipForm,
        "sponsorship_form",
        write,
        _("Le mécénat de compétences est enregistré."),
    )


@login_required
@require_POST
def profile_set(request: HttpRequest, project_pk: int) -> HttpResponse:
    def write(project: Project, data: dict[str, Any]) -> None:
        services.set_declaration_profile(project=project, by=request.user, **data)

    return _project_post(
        request,
        project_pk,
        forms.DeclarationProfileForm,
        "profile_form",
        write,
        _("Le profil de déclaration est enregistré."),
    )


@login_required
@require_GET
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A supporting document, served only to who may see its project (404 otherwise)."""
    doc = policies.get_document_for(request.user, pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=doc.content_type, as_attachment=True, filename=doc.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- a partnership's ledger -------------------------------------------------------------------


def _objective_choices() -> list[tuple[str, str]]:
    try:
        return [(o.code, f"{o.code} — {o.name}") for o in engine.objectives()]
    except engine.CharterNotLoaded:
        return []


def _partner_orgs(partnership: Partnership) -> Any:
    return Organisation.objects.exclude(pk=partnership.host_id).filter(
        kind__in=[
            Organisation.Kind.PARTNER_AUTHORITY,
            Organisation.Kind.ASSOCIATION,
            Organisation.Kind.SCHOOL,
            Organisation.Kind.COMPANY,
            Organisation.Kind.OTHER,
        ]
    )


def _partnership_context(
    request: HttpRequest, partnership: Partnership, **bound: Any
) -> dict[str, Any]:
    balance = queries.reciprocity_balance(partnership)
    revenue = queries.revenue_over_time(partnership)
    can_edit = policies.can_edit_ledger(request.user, partnership)
    balance_chart = charts.bars(
        title=_("Échanges par année et par sens"),
        categories=[str(r.year) for r in balance],
        series=[
            charts.Series(_("vers le partenaire"), [float(r.to_partner) for r in balance]),
            charts.Series(_("vers l'Isère"), [float(r.to_host) for r in balance]),
        ],
    )
    revenue_chart = charts.bars(
        title=_("Part des recettes propres des partenaires (%)"),
        categories=[f"{r.year} ({r.currency})" for r in revenue],
        series=[
            charts.Series(
                _("recettes propres (%)"),
                [float(r.own_share) if r.own_share is not None else None for r in revenue],
            )
        ],
        unit="%",
    )
    objectives = _objective_choices()
    return {
        "partnership": partnership,
        "balance": balance,
        "balance_chart": balance_chart,
        "revenue": revenue,
        "revenue_chart": revenue_chart,
        "exchanges": queries.exchanges_of(partnership),
        "searches": queries.funding_searches(partnership),
        "objective_names": dict(objectives),
        "can_edit": can_edit,
        "exchange_form": bound.get("exchange_form")
        or (forms.ExchangeForm(objectives=objectives) if can_edit else None),
        "search_form": bound.get("search_form")
        or (
            forms.FundingSearchForm(
                organisations=_partner_orgs(partnership),
                initial={"organisation": partnership.partner_id},
            )
            if can_edit
            else None
        ),
        "revenue_form": bound.get("revenue_form")
        or (
            forms.RevenueForm(
                organisations=_partner_orgs(partnership),
                initial={"organisation": partnership.partner_id},
            )
            if can_edit
            else None
        ),
    }


@login_required
@require_GET
def partnership_finance(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = policies.get_ledger_partnership_for(request.user, partnership_pk)
    return render(request, "finance/partnership.html", _partnership_context(request, partnership))


@login_required
@require_POST
def exchange_add(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = _editable_ledger(request, partnership_pk)
    form = forms.ExchangeForm(request.POST, objectives=_objective_choices())
    if form.is_valid():
        data = dict(form.cleaned_data)
        participants = form.participants()
        for key in list(data):
            if key.startswith("p_"):
                data.pop(key)
        try:
            services.record_exchange(
                partnership=partnership, by=request.user, participants=participants, **data
            )
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, _("L'échange est enregistré."))
            return redirect("finance:partnership", partnership_pk=partnership.pk)
    context = _partnership_context(request, partnership, exchange_form=form)
    return render(request, "finance/partnership.html", context, status=422)


@login_required
@require_POST
def revenue_add(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = _editable_ledger(request, partnership_pk)
    form = forms.RevenueForm(request.POST, organisations=_partner_orgs(partnership))
    if form.is_valid():
        try:
            services.record_partner_revenue(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, _("La recette est enregistrée."))
            return redirect("finance:partnership", partnership_pk=partnership.pk)
    context = _partnership_context(request, partnership, revenue_form=form)
    return render(request, "finance/partnership.html", context, status=422)


@login_required
@require_POST
def search_add(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = _editable_ledger(request, partnership_pk)
    form = forms.FundingSearchForm(request.POST, organisations=_partner_orgs(partnership))
    if form.is_valid():
        try:
            services.record_funding_search(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, _("La recherche de financement est enregistrée."))
            return redirect("finance:partnership", partnership_pk=partnership.pk)
    context = _partnership_context(request, partnership, search_form=form)
    return render(request, "finance/partnership.html", context, status=422)


@login_required
@require_GET
def atlas(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = policies.get_ledger_partnership_for(request.user, partnership_pk)
    sheet = queries.atlas_sheet(partnership, projects_visible_to(request.user))
    if request.GET.get("format") == "csv":
        response = HttpResponse(queries.atlas_csv(sheet), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="atlas-partenariat-{partnership.pk}.csv"'
        )
        return response
    return render(request, "finance/atlas.html", {"sheet": sheet, "partnership": partnership})


# --- rates ------------------------------------------------------------------------------------


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    can_manage = policies.can_manage_rates(request.user)
    rate_form = forms.RateForm() if can_manage else None
    file_form = forms.RatesFileForm() if can_manage else None
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if "file" in request.FILES:
            file_form = forms.RatesFileForm(request.POST, request.FILES)
            if file_form.is_valid():
                raw = file_form.cleaned_data["file"].read(2 * 2**20)
                try:
                    result = services.load_rates(
                        by=request.user,
                        text=raw.decode("utf-8"),
                        origin=file_form.cleaned_data["file"].name,
                    )
                except UnicodeDecodeError:
                    file_form.add_error("file", _("Le fichier n'est pas en UTF-8."))
                except DomainError as error:
                    _errors(file_form, error)
                else:
                    created, skipped = result["created"], result["skipped"]
                    messages.success(
                        request,
                        ngettext("%(n)s taux chargé.", "%(n)s taux chargés.", created)
                        % {"n": created}
                        + " "
                        + ngettext("%(n)s taux déjà connu.", "%(n)s taux déjà connus.", skipped)
                        % {"n": skipped},
                    )
                    return redirect("finance:rates")
        else:
            rate_form = forms.RateForm(request.POST)
            if rate_form.is_valid():
                try:
                    services.enter_rate(by=request.user, **rate_form.cleaned_data)
                except DomainError as error:
                    _errors(rate_form, error)
                else:
                    messages.success(request, _("Le taux est enregistré."))
                    return redirect("finance:rates")
        status = 422
    return render(
        request,
        "finance/rates.html",
        {
            "rates": ExchangeRate.objects.all()[:300],
            "rate_form": rate_form,
            "file_form": file_form,
            "max_age": plans.database_rates().max_age_days,
        },
        status=status,
    )


# --- the e-APD declaration --------------------------------------------------------------------


def _declaration_year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("annee") or timezone.localdate().year - 1)
    except ValueError:
        return timezone.localdate().year - 1


@login_required
@require_GET
def declaration(request: HttpRequest) -> HttpResponse:
    if not policies.can_declare(request.user):
        raise Http404
    year = _declaration_year(request)
    built = eapd.build(year, policies.declarable_projects(request.user))
    return render(
        request,
        "finance/declaration.html",
        {"declaration": built, "year": year, "headers": eapd.headers(), "markers": eapd.MARKERS},
    )


@login_required
@require_GET
def declaration_file(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if not policies.can_declare(request.user) or fmt not in ("xlsx", "csv"):
        raise Http404
    built = eapd.build(year, policies.declarable_projects(request.user))
    if not built.is_clean:
        messages.error(
            request, _("La déclaration n'est pas complète : corrigez d'abord les points listés.")
        )
        return redirect(f"{_declaration_url()}?annee={year}")
    host = Organisation.objects.filter(is_host=True).first()
    if fmt == "csv":
        response = HttpResponse(eapd.to_csv(built), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            eapd.to_xlsx(built, authority=host.name if host else ""),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="declaration-apd-{year}.{fmt}"'
    return response


def _declaration_url() -> str:
    from django.urls import reverse

    return reverse("finance:declaration")
