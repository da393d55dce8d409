from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "reciproca.reference"
    label = "reference"
    verbose_name = "Données de référence"

    def ready(self) -> None:
        from reciproca.core.loading import ReferenceLoader, register_reference_loader
        from reciproca.reference import loaders

        register_reference_loader(
            ReferenceLoader(
                name="reference",
                load=loaders.load_reference_data,
            )
        )
