"""What every operation of the API may answer besides its success, written into the OpenAPI
schema once (a drf-spectacular post-processing hook) rather than on each view: 400 (a refused
body, filter or parameter), 401 (not signed in), 403 (a policy refused), 404 (nothing the user
may see there), 429 (too many sign-in failures) — each with the one error body of
`api/exceptions.py` (`Error`: detail, reasons, errors)."""

from __future__ import annotations

from typing import Any

ERRORS = {
    "400": "Requête refusée : corps, filtre ou paramètre invalide (les raisons sont données).",
    "401": "Non authentifié : envoyez `Authorization: Token <jeton>` ou une session.",
    "403": "Refusé par une règle d'accès.",
    "404": "Rien de ce que vous pouvez voir n'est à cette adresse.",
    "429": "Trop de tentatives : réessayez plus tard.",
}
METHODS = {"get", "put", "patch", "post", "delete"}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in components:
        return result
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": error})
    return result
