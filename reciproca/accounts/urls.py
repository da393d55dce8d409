"""Account pages: /comptes/connexion/ and /comptes/deconnexion/."""

from django.urls import path

from reciproca.accounts import audit, two_factor, views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("journal/", audit.audit_log, name="audit-log"),
    path("double-authentification/", two_factor.two_factor, name="two-factor"),
]
