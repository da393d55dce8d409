"""Signing in and out, with Django's authentication views; password guessing is slowed down
per client address (accounts/throttle.py), the same rule as the API token's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from reciproca.accounts import throttle
from reciproca.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.wait_seconds(request)
        if not wait:
            return super().post(request, *args, **kwargs)
        # No password is checked while the address waits: the form comes back with the reason.
        form = self.get_form()
        assert isinstance(form, LoginForm)
        form.refusal = throttle.refusal_message(wait)
        form.is_valid()
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        response["Retry-After"] = str(wait)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        throttle.record_failure(self.request)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.record_success(self.request)
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses a GET): a link cannot sign someone out."""
