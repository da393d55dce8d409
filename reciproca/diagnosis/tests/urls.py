"""The site's URLs plus the diagnosis API routes under /api/v1/, for tests that must not depend
on whether reciproca/api/urls.py includes them yet."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("api/v1/", include("reciproca.diagnosis.api_urls")),
    *site_urlpatterns,
]
