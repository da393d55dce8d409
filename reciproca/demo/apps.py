from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "reciproca.demo"
    label = "demo"
    verbose_name = "Démonstration"

    def ready(self) -> None:
        from reciproca.core.templatetags.reciproca import register_action_labels

        register_action_labels(
            {"demo.project.placed": _("a placé le projet à cette étape (données de démonstration)")}
        )
