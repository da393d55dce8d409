"""Pages of the finance app."""

from django.urls import path

from reciproca.finance import views

app_name = "finance"
urlpatterns = [
    path("projet/<int:project_pk>/", views.project_finance, name="project"),
    path("projet/<int:project_pk>/budget/", views.budget_line_add, name="budget_add"),
    path(
        "projet/<int:project_pk>/budget/<int:line_pk>/supprimer/",
        views.budget_line_delete,
        name="budget_delete",
    ),
    path(
        "projet/<int:project_pk>/sources/<int:source_pk>/statut/",
        views.source_status,
        name="source_status",
    ),
    path("projet/<int:project_pk>/operations/", views.transaction_add, name="transaction_add"),
    path("projet/<int:project_pk>/sources/", views.source_add, name="source_add"),
    path("projet/<int:project_pk>/plan/", views.plan_set, name="plan_set"),
    path("projet/<int:project_pk>/temps/", views.staff_add, name="staff_add"),
    path("projet/<int:project_pk>/mecenat/", views.sponsorship_add, name="sponsorship_add"),
    path("projet/<int:project_pk>/declaration/", views.profile_set, name="profile_set"),
    path("pieces/<int:pk>/", views.document, name="document"),
    path("partenariat/<int:partnership_pk>/", views.partnership_finance, name="partnership"),
    path("partenariat/<int:partnership_pk>/echanges/", views.exchange_add, name="exchange_add"),
    path("partenariat/<int:partnership_pk>/recettes/", views.revenue_add, name="revenue_add"),
    path("partenariat/<int:partnership_pk>/recherches/", views.search_add, name="search_add"),
    path("partenariat/<int:partnership_pk>/atlas/", views.atlas, name="atlas"),
    path("taux/", views.rates, name="rates"),
    path("declaration-apd/", views.declaration, name="declaration"),
    path("declaration-apd/<int:year>.<str:fmt>", views.declaration_file, name="declaration_file"),
]
