"""The REST API v1, mounted at /api/v1/: one viewset per resource on `router`, the token
exchange, the signed-in user, and the OpenAPI schema (no documentation UI: it would load its
scripts from a CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from reciproca.api.auth import MeView, TokenView
from reciproca.api.organisations import OrganisationViewSet
from reciproca.api.partnerships import PartnershipViewSet
from reciproca.api.programmes import ProgrammeViewSet
from reciproca.api.projects import ProjectViewSet
from reciproca.diagnosis.api_urls import urlpatterns as diagnosis_urlpatterns

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("projects", ProjectViewSet, basename="project")
# The diagnosis keeps its viewsets beside its services (reciproca/diagnosis/api.py) and its
# routes in its own router, included below.

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
    *diagnosis_urlpatterns,
]
