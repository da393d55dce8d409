"""The diagnosis resources' routes, for reciproca/api/urls.py to include under /api/v1/:

    from reciproca.diagnosis.api_urls import urlpatterns as diagnosis_urlpatterns
    urlpatterns = [..., *diagnosis_urlpatterns]

/diagnoses/{project}/ (+ sign-off/, withdraw-sign-off/, reversibility/, commitments/,
conformity/), /diagnosis-needs/, /diagnosis-cells/, /diagnosis-responses/,
/diagnosis-alternatives/, /diagnosis-assessments/, /diagnosis-signoffs/, /diagnosis-versions/.
"""

from rest_framework.routers import DefaultRouter

from reciproca.diagnosis import api

router = DefaultRouter()
# The API app has its own root view and no format suffixes; this router adds neither.
router.include_root_view = False
router.include_format_suffixes = False
router.register("diagnoses", api.DiagnosisViewSet, basename="diagnosis")
router.register("diagnosis-needs", api.NeedViewSet, basename="diagnosis-need")
router.register("diagnosis-cells", api.ImpactCellViewSet, basename="diagnosis-cell")
router.register("diagnosis-responses", api.ImpactResponseViewSet, basename="diagnosis-response")
router.register("diagnosis-alternatives", api.AlternativeViewSet, basename="diagnosis-alternative")
router.register("diagnosis-assessments", api.AssessmentViewSet, basename="diagnosis-assessment")
router.register("diagnosis-signoffs", api.SignOffViewSet, basename="diagnosis-signoff")
router.register("diagnosis-versions", api.VersionViewSet, basename="diagnosis-version")

urlpatterns = router.urls
