"""What the benchmarks need from the server, on only when `RECIPROCA_BENCH=1` (never in
production): a middleware saying how long the server took and how many queries it ran, in
response headers, and a bare view of the same stack as the reference the pages are compared
with (`bench/bench_scale.py`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

SERVER_TIMING = "Server-Timing"  # app;dur=<milliseconds>
QUERIES = "X-Bench-Queries"


class BenchTimingMiddleware:
    """Outermost middleware: the time from the request reaching Django to the response leaving
    it (every middleware, the view, the template), and the queries on every connection."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrapped = [c for c in connections.all(initialized_only=False)]
        for connection in wrapped:
            connection.execute_wrappers.append(counter)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            for connection in wrapped:
                connection.execute_wrappers.remove(counter)
        response[SERVER_TIMING] = f"app;dur={(time.perf_counter() - start) * 1000:.2f}"
        response[QUERIES] = str(count)
        return response


def bare(request: HttpRequest) -> HttpResponse:
    """The reference: the whole middleware stack, no query of its own, no template."""
    return HttpResponse(b"ok", content_type="text/plain")
