from django.apps import AppConfig


class PoolingConfig(AppConfig):
    name = "reciproca.pooling"
    verbose_name = "Pooling: IATI index, other authorities' projects, the finder"
