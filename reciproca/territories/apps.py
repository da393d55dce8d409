from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "reciproca.territories"
    label = "territories"
    verbose_name = "Territoires"

    def ready(self) -> None:
        from reciproca.core.loading import ReferenceLoader, register_reference_loader
        from reciproca.territories import loaders

        register_reference_loader(
            ReferenceLoader(
                name="territories",
                load=loaders.load_reference_data,
                add_arguments=loaders.add_reference_arguments,
            )
        )
