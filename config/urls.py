"""Top-level URL map: pages under a language-free prefix (the language is a preference),
the API under /api/v1/, the admin for reference data."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from reciproca.core.history import history

urlpatterns = [
    path("", include("reciproca.projects.urls")),
    path("comptes/", include("reciproca.accounts.urls")),
    path("partenariats/", include("reciproca.partnerships.urls")),
    path("charte/", include("reciproca.charter.urls")),
    path("diagnostic/", include("reciproca.diagnosis.urls")),
    path("resultats/", include("reciproca.results.urls")),
    path("finances/", include("reciproca.finance.urls")),
    path("mutualisation/", include("reciproca.pooling.urls")),
    path("historique/<slug:kind>/<str:pk>/", history, name="history"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("reciproca.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.RECIPROCA_BENCH:  # benchmarks only: the bare reference view (reciproca/core/bench.py)
    from reciproca.core.bench import bare

    urlpatterns.append(path("_bench/bare/", bare, name="bench-bare"))
