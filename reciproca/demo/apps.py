from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "reciproca.demo"
    label = "demo"
    verbose_name = "Démonstration"
