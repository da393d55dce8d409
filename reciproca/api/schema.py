"""What every operation of the API may answer besides its success, written into the OpenAPI
schema once (a drf-spectacular post-processing hook) rather than on each view: 400 (a refused
body, filter or parameter), 401 (not signed in), 403 (a policy refused), 404 (nothing the user
may see there), 429 (too many sign-in failures) — each with the one error body of
`api/exceptions.py` (`Error`: detail, reasons, errors).

It also documents the revision every change of an existing object names (no lost update,
`core.versioning`, `api/base.expected_revision`): on PUT and PATCH, and on the POST actions
that change an object (`REVISIONED_POSTS`), the `If-Match` header (or the body's `revision`),
428 when none is named and 409 when it is not the current one (the body gives the current
revision and the object as it is now)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.response import Response

ERRORS = {
    "400": "Requête refusée : corps, filtre ou paramètre invalide (les raisons sont données).",
    "401": "Non authentifié : envoyez `Authorization: Token <jeton>` ou une session.",
    "403": "Refusé par une règle d'accès.",
    "404": "Rien de ce que vous pouvez voir n'est à cette adresse.",
    "429": "Trop de tentatives : réessayez plus tard.",
}
METHODS = {"get", "put", "patch", "post", "delete"}
# POST actions that change an existing object (the others create one).
REVISIONED_POSTS = ("/commitments/", "/status/")
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,9}"?$'},
    "description": (
        "La révision modifiée : l'ETag reçu avec l'objet (ou son champ `revision`). Sans elle "
        "(ni en-tête ni champ `revision` dans le corps) : 428. Périmée : 409, avec la version "
        "actuelle."
    ),
}
REVISION_ERRORS = {
    "409": "Conflit : l'objet a changé depuis la révision indiquée (ou son contenu est figé). "
    "Le corps donne la révision actuelle, qui l'a faite, quand, et l'objet tel qu'il est.",
    "428": "Révision manquante : envoyez `If-Match` ou le champ `revision`.",
}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in components:
        return result
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": error})
            if method in {"put", "patch"} or (method == "post" and path.endswith(REVISIONED_POSTS)):
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "If-Match" for p in parameters):
                    parameters.append(IF_MATCH)
                for code, description in REVISION_ERRORS.items():
                    responses.setdefault(code, {"description": description, "content": error})
            elif method == "post":
                # An upsert (a matrix cell) over something already there answers 409.
                responses.setdefault(
                    "409", {"description": REVISION_ERRORS["409"], "content": error}
                )
    return result


# --- the schema, generated once per process ------------------------------------------------

# The schema depends only on the code (the routes, serializers and settings of this
# deployment) and on the language its descriptions are in: it is generated and rendered once
# per language, version and format and kept in the process, so a deployment (new processes)
# brings a fresh one.
_generated: dict[tuple[str, str | None], dict[str, Any]] = {}
_rendered: dict[tuple[str, str | None, str], tuple[bytes, str, str]] = {}


class CachedSchemaView(SpectacularAPIView):
    """`SpectacularAPIView` generating and rendering each language's schema once per
    process."""

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request.GET.get("lang") or translation.get_language() or ""
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (language, version, str(request.accepted_media_type))
        cached = _rendered.get(key)
        if cached is None:
            response = self.finalize_response(request, super().get(request, *args, **kwargs))
            response.render()
            cached = _rendered[key] = (
                response.content,
                response["Content-Type"],
                response["Content-Disposition"],
            )
        content, content_type, disposition = cached
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )

    def _get_schema_response(self, request: Any) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language() or "", version)
        schema = _generated.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = _generated[key] = generator.get_schema(
                request=request, public=self.serve_public
            )
        return Response(
            data=schema,
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


def forget_generated_schemas() -> None:
    """Generate the schema again on its next request (tests that change the routes)."""
    _generated.clear()
    _rendered.clear()
