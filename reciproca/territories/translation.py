from modeltranslation.translator import TranslationOptions, register

from reciproca.territories.models import Country, Territory


@register([Country, Territory])
class NameTranslationOptions(TranslationOptions):
    fields = ("name",)
