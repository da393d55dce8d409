from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "reciproca.reference"
    label = "reference"
    verbose_name = "Données de référence"
