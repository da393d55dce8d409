"""The benchmarks' server side (`RECIPROCA_BENCH=1`): off by default, and when on, every response
says how long the server took and how many queries it ran."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from reciproca.accounts.models import User
from reciproca.core.bench import QUERIES, SERVER_TIMING, BenchTimingMiddleware, bare


def test_the_bare_view_is_not_served_without_the_bench_setting(client):
    response = client.get("/_bench/bare/")
    assert response.status_code == 404
    assert SERVER_TIMING not in response


def test_the_middleware_reports_the_server_time_and_the_queries(db):
    def view(request):
        list(User.objects.all())
        list(User.objects.all())
        return HttpResponse("ok")

    response = BenchTimingMiddleware(view)(RequestFactory().get("/"))
    assert response[QUERIES] == "2"
    assert float(response[SERVER_TIMING].removeprefix("app;dur=")) >= 0
    plain = BenchTimingMiddleware(bare)(RequestFactory().get("/_bench/bare/"))
    assert plain.content == b"ok"
    assert plain[QUERIES] == "0"
