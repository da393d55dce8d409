from django.apps import AppConfig


class PoolingConfig(AppConfig):
    name = "reciproca.pooling"
    verbose_name = "Pooling: IATI index, other authorities' projects, the finder"

    def ready(self) -> None:
        from reciproca.pooling import (
            gates,  # noqa: F401  (registers the gate condition)
            panels,
        )

        panels.register()
