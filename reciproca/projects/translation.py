"""Fields partners co-author in their own language (fr, en, ar, hy).

simple-history is registered here, after modeltranslation, so the historical table copies
the per-language columns too (registered in models.py, every save fails).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from reciproca.projects.models import Project


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "objectives")


register_history(Project, app=__package__)
