"""Signing in and out, with Django's authentication views; password guessing is slowed down
per client address (accounts/throttle.py), the same rule as the API token's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from reciproca.accounts import services, throttle
from reciproca.accounts.forms import InvitationAcceptForm, LoginForm
from reciproca.core.exceptions import DomainError


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


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invited person chooses a username, a password and a language, and is signed in."""
    try:
        invited = services.open_invitation(token)
    except DomainError as error:
        return render(
            request, "accounts/invitation.html", {"refusal": " ".join(error.reasons)}, status=410
        )
    form = InvitationAcceptForm(request.POST or None, initial={"language": invited.language})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                language=form.cleaned_data["language"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except DomainError as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        else:
            login(request, user, backend="reciproca.accounts.backends.UserWithOrganisationBackend")
            response = redirect("/")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
            return response
    return render(request, "accounts/invitation.html", {"invitation": invited, "form": form})
