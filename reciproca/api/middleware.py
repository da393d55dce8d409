"""Every answer under /api/ is JSON, errors included: a URL no route matches (a project number
that is not a number) or a server error would otherwise come back as an HTML page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

MESSAGES = {
    404: lambda: _("Rien de ce que vous pouvez voir n'est à cette adresse."),
    405: lambda: _("Méthode non admise à cette adresse."),
    500: lambda: _("Erreur du serveur : elle est enregistrée, réessayez plus tard."),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse(
                {"detail": str(MESSAGES[response.status_code]())}, status=response.status_code
            )
            for header in ("Allow", "Vary"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
