"""The shared diagnosis pages, mounted at /diagnostic/ (config/urls.py); the project's number
leads every path. An option is "proposition" or an alternative's number; a matrix cell is named
by its territory, dimension, kind and horizon (partner/social/direct/short)."""

from django.urls import path

from reciproca.diagnosis import views

app_name = "diagnosis"

CELL = "<str:side>/<str:dimension>/<str:directness>/<str:horizon>/"

urlpatterns = [
    path("<int:project_pk>/", views.overview, name="overview"),
    path("<int:project_pk>/besoins/ajouter/", views.need_create, name="need_create"),
    path("<int:project_pk>/besoins/<int:need_pk>/modifier/", views.need_edit, name="need_edit"),
    path(
        "<int:project_pk>/besoins/<int:need_pk>/supprimer/", views.need_delete, name="need_delete"
    ),
    path("<int:project_pk>/matrice/", views.matrix, name="matrix_proposal"),
    path("<int:project_pk>/matrice/<str:option>/", views.matrix, name="matrix"),
    path("<int:project_pk>/matrice/<str:option>/" + CELL, views.cell_edit, name="cell"),
    path(
        "<int:project_pk>/impacts/<int:cell_pk>/reponses/ajouter/",
        views.response_create,
        name="response_create",
    ),
    path(
        "<int:project_pk>/reponses/<int:response_pk>/modifier/",
        views.response_edit,
        name="response_edit",
    ),
    path(
        "<int:project_pk>/reponses/<int:response_pk>/supprimer/",
        views.response_delete,
        name="response_delete",
    ),
    path(
        "<int:project_pk>/alternatives/ajouter/",
        views.alternative_create,
        name="alternative_create",
    ),
    path(
        "<int:project_pk>/alternatives/<int:alternative_pk>/modifier/",
        views.alternative_edit,
        name="alternative_edit",
    ),
    path(
        "<int:project_pk>/alternatives/<int:alternative_pk>/supprimer/",
        views.alternative_delete,
        name="alternative_delete",
    ),
    path("<int:project_pk>/reversibilite/", views.reversibility, name="reversibility"),
    path("<int:project_pk>/comparaison/", views.compare, name="compare"),
    path("<int:project_pk>/grille/", views.grid, name="grid_proposal"),
    path("<int:project_pk>/grille/<str:option>/", views.grid, name="grid"),
    path(
        "<int:project_pk>/notes/<int:assessment_pk>/retirer/",
        views.assessment_delete,
        name="assessment_delete",
    ),
    path("<int:project_pk>/engagements/", views.commitments, name="commitments"),
    path("<int:project_pk>/transversalite/", views.involvement, name="involvement"),
    path("<int:project_pk>/valider/", views.sign_off, name="sign_off"),
    path("<int:project_pk>/retirer-validation/", views.withdraw_sign_off, name="withdraw_sign_off"),
    path("<int:project_pk>/versions/", views.versions, name="versions"),
    path("<int:project_pk>/conformite/", views.conformity_view, name="conformity"),
]
