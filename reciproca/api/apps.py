from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reciproca.api"
    label = "api"
    verbose_name = "API REST v1"
