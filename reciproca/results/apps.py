from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "reciproca.results"
    verbose_name = "Results: results framework, evaluation plan, partner reporting, evaluations"
