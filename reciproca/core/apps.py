from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reciproca.core"
    label = "core"
    verbose_name = "Core: base models, audit events, shared template tags"
