from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "reciproca.territories"
    label = "territories"
    verbose_name = "Territoires"
