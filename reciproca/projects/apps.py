from django.apps import AppConfig


def register_partnership_pages() -> None:
    """The partnership pages list each partnership's projects (partnerships/pages.py)."""
    from reciproca.partnerships import pages
    from reciproca.projects import queries
    from reciproca.projects.policies import can_create_project_in

    pages.register_list_rows(queries.partnerships_with_project_counts)
    pages.register_detail_context(
        lambda user, partnership: {
            "projects": queries.projects_of_partnership(user, partnership),
            "can_create_project": can_create_project_in(user, partnership),
        }
    )


def register_todo_lists() -> None:
    """The dashboard's "À faire" lists whose data live here (todo.py)."""
    from reciproca.projects import queries, todo

    todo.register("stage_signoffs", queries.stage_signoffs_awaited, order=10)
    todo.register("decisions", queries.decisions_waiting, order=30)
    todo.register("agreements", queries.agreements_to_renew, order=40)


class ProjectsConfig(AppConfig):
    name = "reciproca.projects"
    label = "projects"
    verbose_name = "Projets"

    def ready(self) -> None:
        from reciproca.charter.loader import register_activation_handler
        from reciproca.projects import gates  # noqa: F401  (registers the gate conditions)
        from reciproca.projects.themes import carry_themes_over

        register_activation_handler(carry_themes_over)
        from reciproca.projects import history

        register_partnership_pages()
        register_todo_lists()
        history.register()
