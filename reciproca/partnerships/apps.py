from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "reciproca.partnerships"
    label = "partnerships"
    verbose_name = "Partenariats"

    def ready(self) -> None:
        from reciproca.partnerships import (
            history,
            rules,  # noqa: F401  (registers its charter rules)
        )

        history.register()
