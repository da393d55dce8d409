from modeltranslation.translator import TranslationOptions, register

from reciproca.charter.models import Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)
