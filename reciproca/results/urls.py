"""Pages of the results app, under /resultats/."""

from django.urls import path

from reciproca.results import views

app_name = "results"
urlpatterns = [
    path("enseignements/", views.lessons, name="lessons"),
    path("participation/", views.participation, name="participation"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:project_pk>/", views.page, name="page"),
    path("<int:project_pk>/rapport/", views.report, name="report"),
    path("<int:project_pk>/elements/", views.add_node, name="add_node"),
    path("<int:project_pk>/indicateurs/", views.add_indicator, name="add_indicator"),
    path("<int:project_pk>/periodes/", views.add_period, name="add_period"),
    path("<int:project_pk>/cibles/", views.set_target, name="set_target"),
    path("<int:project_pk>/alignement/", views.set_alignment, name="set_alignment"),
    path("<int:project_pk>/validation/<str:subject>/", views.sign_off, name="sign_off"),
    path("<int:project_pk>/dispositif/", views.plan, name="plan"),
    path("<int:project_pk>/dispositif/modifier/", views.update_plan, name="update_plan"),
    path("<int:project_pk>/dispositif/questions/", views.add_question, name="add_question"),
    path("<int:project_pk>/dispositif/equipe/", views.add_team_member, name="add_team_member"),
    path("<int:project_pk>/periode/<int:period_pk>/", views.period, name="period"),
    path(
        "<int:project_pk>/periode/<int:period_pk>/valeur/", views.report_value, name="report_value"
    ),
    path("<int:project_pk>/periode/<int:period_pk>/commentaire/", views.comment, name="comment"),
    path("<int:project_pk>/periode/<int:period_pk>/classeur/", views.workbook, name="workbook"),
    path(
        "<int:project_pk>/periode/<int:period_pk>/classeur/depot/",
        views.upload_workbook,
        name="upload_workbook",
    ),
    path(
        "<int:project_pk>/periode/<int:period_pk>/<str:action>/",
        views.report_action,
        name="report_action",
    ),
    path("<int:project_pk>/pieces/<int:evidence_pk>/", views.evidence, name="evidence"),
    path("<int:project_pk>/evaluations/", views.evaluations, name="evaluations"),
    path(
        "<int:project_pk>/evaluations/nouvelle/", views.record_evaluation, name="record_evaluation"
    ),
    path(
        "<int:project_pk>/evaluations/<int:evaluation_pk>/reponse/", views.respond, name="respond"
    ),
    path(
        "<int:project_pk>/participation/", views.record_participation, name="record_participation"
    ),
]
