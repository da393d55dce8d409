"""The shared diagnosis pages, mounted at /diagnostic/ (config/urls.py); the project's number
leads every path. An option is "proposition" or an alternative's number; a matrix cell is named
by its territory, dimension, kind and horizon (partner/social/direct/short)."""

from django.urls import path

from reciproca.diagnosis.views import (
    alternatives,
    commitments,
    grid,
    matrix,
    needs,
    overview,
    report,
    versions,
)

app_name = "diagnosis"

CELL = "<str:side>/<str:dimension>/<str:directness>/<str:horizon>/"

urlpatterns = [
    path("<int:project_pk>/", overview.overview, name="overview"),
    path("<int:project_pk>/besoins/ajouter/", needs.need_create, name="need_create"),
    path("<int:project_pk>/besoins/<int:need_pk>/modifier/", needs.need_edit, name="need_edit"),
    path(
        "<int:project_pk>/besoins/<int:need_pk>/supprimer/", needs.need_delete, name="need_delete"
    ),
    path("<int:project_pk>/matrice/", matrix.matrix, name="matrix_proposal"),
    path("<int:project_pk>/matrice/<str:option>/", matrix.matrix, name="matrix"),
    path("<int:project_pk>/matrice/<str:option>/" + CELL, matrix.cell_edit, name="cell"),
    path(
        "<int:project_pk>/impacts/<int:cell_pk>/reponses/ajouter/",
        matrix.response_create,
        name="response_create",
    ),
    path(
        "<int:project_pk>/reponses/<int:response_pk>/modifier/",
        matrix.response_edit,
        name="response_edit",
    ),
    path(
        "<int:project_pk>/reponses/<int:response_pk>/supprimer/",
        matrix.response_delete,
        name="response_delete",
    ),
    path(
        "<int:project_pk>/alternatives/ajouter/",
        alternatives.alternative_create,
        name="alternative_create",
    ),
    path(
        "<int:project_pk>/alternatives/<int:alternative_pk>/modifier/",
        alternatives.alternative_edit,
        name="alternative_edit",
    ),
    path(
        "<int:project_pk>/alternatives/<int:alternative_pk>/supprimer/",
        alternatives.alternative_delete,
        name="alternative_delete",
    ),
    path("<int:project_pk>/reversibilite/", alternatives.reversibility, name="reversibility"),
    path("<int:project_pk>/comparaison/", alternatives.compare, name="compare"),
    path("<int:project_pk>/grille/", grid.grid, name="grid_proposal"),
    path("<int:project_pk>/grille/<str:option>/", grid.grid, name="grid"),
    path(
        "<int:project_pk>/notes/<int:assessment_pk>/retirer/",
        grid.assessment_delete,
        name="assessment_delete",
    ),
    path("<int:project_pk>/engagements/", commitments.commitments, name="commitments"),
    path("<int:project_pk>/transversalite/", commitments.involvement, name="involvement"),
    path("<int:project_pk>/valider/", overview.sign_off, name="sign_off"),
    path(
        "<int:project_pk>/retirer-validation/", overview.withdraw_sign_off, name="withdraw_sign_off"
    ),
    path("<int:project_pk>/versions/", versions.versions, name="versions"),
    path("<int:project_pk>/conformite/", report.conformity_view, name="conformity"),
]
