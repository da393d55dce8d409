"""How the API's lists are paged: numbered pages (`?page=N`, with the `count`) or cursors
(`?cursor=…`, `next` and `previous` links only).

A cursor page costs the same whatever its depth (a `WHERE` on the indexed sort key, no
`OFFSET`, no `COUNT`); a numbered page counts the rows and skips `OFFSET` of them. Every list
answers both: `?page=` gives numbered pages as before, `?cursor=` a cursor page, and without
either a list answers its `default_style` — the project list, the one that grows, starts with a
cursor page; the others with the numbered first page (their `count`) as they always did. The
OpenAPI schema documents both parameters and the one envelope (`count` only on numbered pages).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

PAGE = "page"
CURSOR = "cursor"


class _Cursor(CursorPagination):
    ordering: Any = ("-id",)


class CursorOrPagePagination(BasePagination):
    """Numbered pages or cursors, as the request asks (see the module's docstring).

    A view says which style its list answers without a parameter (`pagination_style`, `page`
    by default) and the cursor's ordering (`cursor_ordering`: a unique, indexed key last, so
    that a cursor never skips or repeats a row)."""

    display_page_controls = False

    def __init__(self) -> None:
        self.paginator: BasePagination | None = None

    def _style(self, queryset: Any, request: Request, view: Any) -> str:
        if PageNumberPagination.page_query_param in request.query_params:
            return PAGE
        if getattr(view, "action", "list") != "list" or not isinstance(queryset, QuerySet):
            return PAGE  # a view's other lists (a project's timeline) are numbered
        if CursorPagination.cursor_query_param in request.query_params:
            return CURSOR
        return getattr(view, "pagination_style", PAGE)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        if self._style(queryset, request, view) == CURSOR:
            cursor = _Cursor()
            cursor.ordering = tuple(getattr(view, "cursor_ordering", _Cursor.ordering))
            self.paginator = cursor
        else:
            self.paginator = PageNumberPagination()
        return self.paginator.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.paginator is not None
        return self.paginator.get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = PageNumberPagination().get_paginated_response_schema(schema)
        envelope["required"] = ["results"]
        envelope["properties"]["count"]["description"] = (
            "Le nombre de lignes, sur les pages numérotées (`page`) seulement."
        )
        envelope["properties"]["next"]["example"] = "http://api.example.org/projects/?cursor=cD0y"
        envelope["properties"]["previous"]["example"] = None
        return envelope

    def get_schema_operation_parameters(self, view: Any) -> list[Any]:
        default = getattr(view, "pagination_style", PAGE)
        return [
            {
                "name": CursorPagination.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Le curseur d'une page (lien `next` ou `previous`) : chaque page coûte "
                    "le même temps, si loin soit-elle."
                    + (
                        " Par défaut, la première page est une page à curseur."
                        if default == CURSOR
                        else ""
                    )
                ),
                "schema": {"type": "string"},
            },
            {
                "name": PageNumberPagination.page_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Une page numérotée (avec `count`), pour la compatibilité ; préférez le "
                    "curseur pour parcourir une longue liste."
                ),
                "schema": {"type": "integer"},
            },
        ]
