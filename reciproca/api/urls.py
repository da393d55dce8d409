"""The REST API v1, mounted at /api/v1/: one viewset per resource on `router`, the token
exchange, the signed-in user, and the OpenAPI schema (no documentation UI: it would load its
scripts from a CDN)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from reciproca.api import diagnosis, finance, pooling, results
from reciproca.api.auth import MeView, TokenRotateView, TokenView
from reciproca.api.organisations import OrganisationViewSet
from reciproca.api.partnerships import PartnershipViewSet
from reciproca.api.programmes import ProgrammeViewSet
from reciproca.api.projects import ProjectViewSet
from reciproca.api.schema import CachedSchemaView

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("projects", ProjectViewSet, basename="project")
router.register("results-indicators", results.IndicatorViewSet, basename="results-indicator")
router.register("results-periods", results.PeriodViewSet, basename="results-period")
router.register("results-values", results.ValueViewSet, basename="results-value")
router.register("results-evaluations", results.EvaluationViewSet, basename="results-evaluation")

# The diagnosis resources (reciproca/api/diagnosis.py) have their own router, kept out of the
# root view as before.
diagnosis_router = DefaultRouter()
diagnosis_router.include_root_view = False
diagnosis_router.include_format_suffixes = False
diagnosis_router.register("diagnoses", diagnosis.DiagnosisViewSet, basename="diagnosis")
diagnosis_router.register("diagnosis-needs", diagnosis.NeedViewSet, basename="diagnosis-need")
diagnosis_router.register("diagnosis-cells", diagnosis.ImpactCellViewSet, basename="diagnosis-cell")
diagnosis_router.register(
    "diagnosis-responses", diagnosis.ImpactResponseViewSet, basename="diagnosis-response"
)
diagnosis_router.register(
    "diagnosis-alternatives", diagnosis.AlternativeViewSet, basename="diagnosis-alternative"
)
diagnosis_router.register(
    "diagnosis-assessments", diagnosis.AssessmentViewSet, basename="diagnosis-assessment"
)
diagnosis_router.register(
    "diagnosis-signoffs", diagnosis.SignOffViewSet, basename="diagnosis-signoff"
)
diagnosis_router.register(
    "diagnosis-versions", diagnosis.VersionViewSet, basename="diagnosis-version"
)

pooling_router = DefaultRouter()
pooling_router.include_root_view = False
pooling_router.include_format_suffixes = False
pooling_router.register("pooling-finder", pooling.FinderViewSet, basename="pooling-finder")
pooling_router.register(
    "pooling-coordinations", pooling.CoordinationViewSet, basename="pooling-coordination"
)

# The finance resources (reciproca/api/finance.py).
finance_router = DefaultRouter()
finance_router.include_root_view = False
finance_router.include_format_suffixes = False
finance_router.register("exchange-rates", finance.ExchangeRateViewSet, basename="exchange-rate")
finance_router.register("budget-lines", finance.BudgetLineViewSet, basename="budget-line")
finance_router.register("transactions", finance.TransactionViewSet, basename="transaction")
finance_router.register("funding-sources", finance.FundingSourceViewSet, basename="funding-source")
finance_router.register("funding-plans", finance.FundingPlanViewSet, basename="funding-plan")
finance_router.register("staff-time", finance.StaffTimeViewSet, basename="staff-time")
finance_router.register(
    "skills-sponsorships", finance.SkillsSponsorshipViewSet, basename="skills-sponsorship"
)
finance_router.register(
    "partner-revenues", finance.PartnerRevenueViewSet, basename="partner-revenue"
)
finance_router.register("exchanges", finance.ExchangeViewSet, basename="exchange")
finance_router.register("funding-searches", finance.FundingSearchViewSet, basename="funding-search")

urlpatterns = [
    path("schema/", CachedSchemaView.as_view(), name="schema"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/rotate/", TokenRotateView.as_view(), name="token-rotate"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
    *diagnosis_router.urls,
    *pooling_router.urls,
    *finance_router.urls,
]
