from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "reciproca.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic partagé"
