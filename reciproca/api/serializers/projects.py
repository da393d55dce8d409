"""Projects as the API shows and accepts them: every language's title, summary and objectives,
with partners, themes, SDG targets, purpose codes and markers nested read-only."""

from __future__ import annotations

from rest_framework import serializers

from reciproca.api.serializers.common import (
    OrganisationBriefSerializer,
    ScopedPrimaryKeyField,
    UserBriefSerializer,
)
from reciproca.charter.models import Theme
from reciproca.core.models import AuditEvent
from reciproca.partnerships.models import ElectedOfficial, Partnership, Programme, Service
from reciproca.partnerships.policies import partnerships_visible_to
from reciproca.partnerships.queries import programmes_visible_to
from reciproca.projects import workflow
from reciproca.projects.models import (
    Decision,
    Project,
    ProjectMarker,
    ProjectPartner,
    SignOff,
    Stage,
)
from reciproca.reference.models import PurposeCode, SdgTarget
from reciproca.territories.models import Territory

LANGUAGES = ("fr", "en", "ar", "hy")
TRANSLATED_FIELDS = tuple(
    f"{name}_{language}" for name in ("title", "summary", "objectives") for language in LANGUAGES
)
TAG_FIELDS = (
    "themes",
    "sdg_targets",
    "purpose_codes",
    "locations",
    "services",
    "elected_officials",
)


# --- reading ---------------------------------------------------------------------------------


class ProjectPartnerSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    signs_off = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ["organisation", "role", "role_display", "signs_off"]
        read_only_fields = fields


class ThemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["code", "name"]
        read_only_fields = fields


class ProjectMarkerSerializer(serializers.ModelSerializer):
    marker = serializers.CharField(source="marker.code", read_only=True)
    marker_name = serializers.CharField(source="marker.name", read_only=True)
    significance = serializers.CharField(source="significance.code", read_only=True)

    class Meta:
        model = ProjectMarker
        fields = ["marker", "marker_name", "significance"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A project; `title`, `summary` and `objectives` are in the request's language (falling
    back to French, then English), the `_fr/_en/_ar/_hy` fields are each language's own text."""

    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)
    partners = ProjectPartnerSerializer(many=True, read_only=True)
    themes = ThemeBriefSerializer(many=True, read_only=True)
    sdg_targets: serializers.SlugRelatedField[SdgTarget] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    purpose_codes: serializers.SlugRelatedField[PurposeCode] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    markers = ProjectMarkerSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "objectives",
            *TRANSLATED_FIELDS,
            "stage",
            "stage_display",
            "is_suspended",
            "partnership",
            "partnership_name",
            "programme",
            "start_date",
            "end_date",
            "partners",
            "themes",
            "sdg_targets",
            "purpose_codes",
            "markers",
            "locations",
            "services",
            "elected_officials",
            "redesigned_from",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    decided_by = UserBriefSerializer(read_only=True, allow_null=True)
    new_project_reference = serializers.CharField(
        source="new_project.reference", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "project",
            "outcome",
            "outcome_display",
            "rationale",
            "deliberation_reference",
            "decided_at",
            "decided_by",
            "new_project",
            "new_project_reference",
        ]
        read_only_fields = fields


class SignOffSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    organisation = OrganisationBriefSerializer(read_only=True)
    signed_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = SignOff
        fields = [
            "id",
            "project",
            "stage",
            "stage_display",
            "organisation",
            "signed_by",
            "signed_at",
        ]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "actor", "at", "reason", "before", "after"]
        read_only_fields = fields


class ChecklistConditionSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    clauses = serializers.ListField(child=serializers.CharField())
    met = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    is_planned = serializers.BooleanField(
        help_text="Vrai quand la fonctionnalité qui la vérifie n'est pas encore disponible."
    )
    evidence_url = serializers.CharField(
        help_text="La page où se trouvent (et se complètent) les éléments de preuve."
    )


class ChecklistTransitionSerializer(serializers.Serializer):
    """One transition the project could take from where it is, and what it still needs."""

    transition = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    target = serializers.ChoiceField(choices=Stage.choices, allow_null=True)
    via_decision = serializers.BooleanField(
        help_text="Vrai pour « decide » : elle passe par POST …/decision/."
    )
    is_possible = serializers.BooleanField()
    conditions = ChecklistConditionSerializer(many=True)


# --- writing ---------------------------------------------------------------------------------


class ProjectFieldsSerializer(serializers.Serializer):
    """The fields a PATCH may change; tags are given as codes (themes, SDG targets, purpose
    codes) or ids (places, services, elected officials) and replace the current set."""

    title_fr = serializers.CharField(max_length=255, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    title_ar = serializers.CharField(max_length=255, required=False, allow_blank=True)
    title_hy = serializers.CharField(max_length=255, required=False, allow_blank=True)
    summary_fr = serializers.CharField(required=False, allow_blank=True)
    summary_en = serializers.CharField(required=False, allow_blank=True)
    summary_ar = serializers.CharField(required=False, allow_blank=True)
    summary_hy = serializers.CharField(required=False, allow_blank=True)
    objectives_fr = serializers.CharField(required=False, allow_blank=True)
    objectives_en = serializers.CharField(required=False, allow_blank=True)
    objectives_ar = serializers.CharField(required=False, allow_blank=True)
    objectives_hy = serializers.CharField(required=False, allow_blank=True)
    programme = ScopedPrimaryKeyField(
        scope=programmes_visible_to,
        queryset=Programme.objects.all(),
        required=False,
        allow_null=True,
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    themes = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=Theme.objects.filter(charter__is_active=True),
        required=False,
    )
    sdg_targets = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=SdgTarget.objects.all(), required=False
    )
    purpose_codes = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=PurposeCode.objects.all(), required=False
    )
    locations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Territory.objects.all(), required=False
    )
    services = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Service.objects.all(), required=False
    )
    elected_officials = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ElectedOfficial.objects.all(), required=False
    )


class ProjectUpdateSerializer(ProjectFieldsSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Pourquoi ce changement."
    )


class ProjectCreateSerializer(ProjectFieldsSerializer):
    partnership = ScopedPrimaryKeyField(
        scope=partnerships_visible_to, queryset=Partnership.objects.all()
    )


class TransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=list(workflow.TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionCreateSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    # Required by the charter (PRJ-4): left to the service, so a missing rationale is refused
    # with the domain's own sentence.
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    deliberation_reference = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    new_title = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text="Titre du nouveau projet quand la décision est « REDESIGN ».",
    )
