"""Project pages: the dashboard at the root, projects under /projets/."""

from django.urls import path

from reciproca.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projets/", views.project_list, name="list"),
    path("projets/nouveau/", views.project_create, name="create"),
    path("projets/<int:pk>/", views.project_detail, name="detail"),
    path("projets/<int:pk>/modifier/", views.project_edit, name="edit"),
    path("projets/<int:pk>/rattachements/", views.project_tags, name="tags"),
    path("projets/<int:pk>/transition/", views.project_transition, name="transition"),
    path("projets/<int:pk>/decision/", views.project_decide, name="decide"),
    path("projets/<int:pk>/validation/", views.project_sign_off, name="sign_off"),
    path(
        "projets/<int:pk>/conventions/",
        views.partnership_agreements,
        name="partnership_agreements",
    ),
]
