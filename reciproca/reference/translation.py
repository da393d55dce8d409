"""Which reference fields carry one column per interface language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from reciproca.reference import models


@register(
    [
        models.SdgGoal,
        models.SdgTarget,
        models.PurposeCategory,
        models.PurposeCode,
        models.PolicyMarker,
        models.PolicySignificance,
        models.OrganisationType,
        models.Currency,
        models.OrganisationRole,
    ]
)
class CodelistTranslationOptions(TranslationOptions):
    fields = ("name", "description")
