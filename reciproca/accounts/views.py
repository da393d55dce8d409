"""Signing in and out, with Django's authentication views."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from reciproca.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses a GET): a link cannot sign someone out."""
