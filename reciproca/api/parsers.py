"""The API's JSON parser, bounded: a body larger than `RECIPROCA_API_MAX_BODY` bytes or nested
deeper than `RECIPROCA_API_MAX_DEPTH` is refused with a 400 that says which limit, before any
view sees it (DRF's own parser reads the whole stream and lets a deep body crash the server)."""

from __future__ import annotations

import codecs
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

DEFAULT_MAX_BODY = 1024 * 1024
DEFAULT_MAX_DEPTH = 32


def depth(value: Any) -> int:
    """How deeply `value` nests lists and objects, found without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        max_body = getattr(settings, "RECIPROCA_API_MAX_BODY", DEFAULT_MAX_BODY)
        max_depth = getattr(settings, "RECIPROCA_API_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        raw = stream.read(max_body + 1) if stream is not None else b""
        if len(raw) > max_body:
            raise ParseError(
                _("corps de requête trop grand : %(max)s octets au plus") % {"max": max_body}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            data = None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON illisible : %(error)s") % {"error": error}) from error
        if data is None and raw.strip() not in (b"null", b""):
            raise ParseError(_too_deep(max_depth))
        if depth(data) > max_depth:
            raise ParseError(_too_deep(max_depth))
        return data


def _too_deep(max_depth: int) -> str:
    return _("JSON trop imbriqué : %(max)s niveaux de profondeur au plus") % {"max": max_depth}


def _refuse_constant(name: str) -> None:
    raise ValueError(_("valeur non admise en JSON : %(name)s") % {"name": name})
