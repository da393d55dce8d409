from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "reciproca.partnerships"
    label = "partnerships"
    verbose_name = "Partenariats"
