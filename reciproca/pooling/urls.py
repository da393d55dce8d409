"""Pages of the pooling app, under /mutualisation/."""

from django.urls import path

from reciproca.pooling import views

app_name = "pooling"
urlpatterns = [
    path("", views.index, name="index"),
    path("projet/<int:pk>/", views.project_finder, name="project"),
    path("projet/<int:pk>/panneau/", views.project_panel, name="project_panel"),
    path("partenariat/<int:pk>/", views.partnership_finder, name="partnership"),
    path("territoire/<int:pk>/", views.territory_finder, name="territory"),
    path("imports/<int:pk>/", views.run_detail, name="run"),
]
