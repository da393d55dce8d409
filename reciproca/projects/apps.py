from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "reciproca.projects"
    label = "projects"
    verbose_name = "Projets"

    def ready(self) -> None:
        from reciproca.projects import gates  # noqa: F401  (registers the gate conditions)
