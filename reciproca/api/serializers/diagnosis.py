"""The shared diagnosis as the API shows and accepts it: the diagnosis with its live sign-offs,
needs, impact cells with their responses, alternatives, scores, versions, and the bodies of the
sign-off, withdrawal, reversibility and commitments actions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from reciproca.api.serializers.common import ScopedPrimaryKeyField
from reciproca.diagnosis import causes
from reciproca.diagnosis.gates import live_signoffs
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    DiagnosisSignOff,
    DiagnosisVersion,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Level,
    Need,
    Score,
    Side,
)
from reciproca.diagnosis.policies import alternatives_visible_to, cells_visible_to
from reciproca.partnerships.models import Organisation


class DiagnosisSignOffSerializer(serializers.ModelSerializer[DiagnosisSignOff]):
    project = serializers.IntegerField(source="diagnosis.project_id", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    signed_by = serializers.CharField(read_only=True)
    withdrawn_by = serializers.CharField(read_only=True, allow_null=True)
    # Worded in the request's language from `withdrawn_cause` (the stored text for older rows).
    withdrawn_reason = serializers.SerializerMethodField()

    class Meta:
        model = DiagnosisSignOff
        fields = [
            "id", "project", "version", "organisation", "organisation_id", "signed_by",
            "signed_at", "withdrawn_at", "withdrawn_reason", "withdrawn_cause", "withdrawn_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_withdrawn_reason(self, signoff: DiagnosisSignOff) -> str:
        return causes.cause_text(signoff.withdrawn_cause, signoff.withdrawn_reason)


class DiagnosisSerializer(serializers.ModelSerializer[Diagnosis]):
    project = serializers.IntegerField(source="project_id")
    live_signoffs = serializers.SerializerMethodField()

    class Meta:
        model = Diagnosis
        fields = [
            "project", "version", "reversibility_statement", "live_signoffs", "updated_at",
            "revision",
        ]  # fmt: skip
        read_only_fields = [
            "version", "reversibility_statement", "live_signoffs", "updated_at", "revision",
        ]  # fmt: skip

    def get_live_signoffs(self, diagnosis: Diagnosis) -> list[dict[str, Any]]:
        return DiagnosisSignOffSerializer(live_signoffs(diagnosis), many=True).data  # type: ignore[return-value]


class ReversibilitySerializer(serializers.Serializer[Any]):
    reversibility_statement = serializers.CharField(allow_blank=True)


class WithdrawSerializer(serializers.Serializer[Any]):
    # Required by the service, which asks the right first: who may not withdraw hears so.
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MarkerChoiceSerializer(serializers.Serializer[Any]):
    marker = serializers.CharField(help_text="Code du marqueur CAD (1 à 12).")
    significance = serializers.CharField(
        help_text="Niveau : 0, 1, 2 ; 3 seulement pour 8 ; 4 seulement pour 9."
    )


class CommitmentsSerializer(serializers.Serializer[Any]):
    sdg_targets = serializers.ListField(child=serializers.CharField(), default=list)
    purpose_codes = serializers.ListField(child=serializers.CharField(), default=list)
    markers = MarkerChoiceSerializer(many=True, default=list)


class NeedSerializer(serializers.ModelSerializer[Need]):
    project = serializers.IntegerField(source="diagnosis.project_id")
    author_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False
    )
    author_organisation_name = serializers.CharField(
        source="author_organisation.name", read_only=True
    )

    class Meta:
        # The services check uniqueness and upsert; the model's constraints stay the last word.
        validators: list[Any] = []
        model = Need
        fields = [
            "id", "project", "side", "title", "description", "population_concerned", "evidence",
            "author_organisation", "author_organisation_name", "created_at", "updated_at",
            "revision",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at", "revision"]


class ResponseSerializer(serializers.ModelSerializer[ImpactResponse]):
    cell = ScopedPrimaryKeyField(scope=cells_visible_to, queryset=ImpactCell.objects.all())
    owner_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        # The services check uniqueness and upsert; the model's constraints stay the last word.
        validators: list[Any] = []
        model = ImpactResponse
        fields = [
            "id", "cell", "kind", "description", "owner_organisation", "owner_name", "due_date",
            "created_at", "revision",
        ]  # fmt: skip
        read_only_fields = ["created_at", "revision"]


class NestedResponseSerializer(serializers.ModelSerializer[ImpactResponse]):
    class Meta:
        model = ImpactResponse
        fields = ["id", "kind", "description", "owner_organisation", "owner_name", "due_date"]
        read_only_fields = fields


class CellSerializer(serializers.ModelSerializer[ImpactCell]):
    project = serializers.IntegerField(source="diagnosis.project_id")
    alternative = ScopedPrimaryKeyField(
        scope=alternatives_visible_to,
        queryset=Alternative.objects.all(),
        required=False,
        allow_null=True,
    )
    side = serializers.ChoiceField(choices=Side.choices)
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    directness = serializers.ChoiceField(choices=Directness.choices)
    horizon = serializers.ChoiceField(choices=Horizon.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    # 1 low, 2 medium, 3 high (Level); plain integers, so the schema has one range, not two enums.
    magnitude = serializers.IntegerField(
        min_value=Level.LOW, max_value=Level.HIGH, required=False, allow_null=True
    )
    likelihood = serializers.IntegerField(
        min_value=Level.LOW, max_value=Level.HIGH, required=False, allow_null=True
    )
    author_organisation = serializers.CharField(read_only=True, allow_null=True)
    responses = NestedResponseSerializer(many=True, read_only=True)

    class Meta:
        # The services check uniqueness and upsert; the model's constraints stay the last word.
        validators: list[Any] = []
        model = ImpactCell
        fields = [
            "id", "project", "alternative", "side", "dimension", "directness", "horizon",
            "direction", "magnitude", "likelihood", "justification", "author_organisation",
            "updated_at", "responses", "revision",
        ]  # fmt: skip
        read_only_fields = ["updated_at", "revision"]


class AlternativeSerializer(serializers.ModelSerializer[Alternative]):
    project = serializers.IntegerField(source="diagnosis.project_id")

    class Meta:
        # The services check uniqueness and upsert; the model's constraints stay the last word.
        validators: list[Any] = []
        model = Alternative
        fields = [
            "id", "project", "title", "description", "is_do_nothing", "created_at", "revision",
        ]  # fmt: skip
        read_only_fields = ["created_at", "revision"]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    project = serializers.IntegerField(source="diagnosis.project_id")
    alternative = ScopedPrimaryKeyField(
        scope=alternatives_visible_to,
        queryset=Alternative.objects.all(),
        required=False,
        allow_null=True,
    )
    score = serializers.ChoiceField(choices=Score.choices)
    assessor = serializers.CharField(read_only=True)

    class Meta:
        # The services check uniqueness and upsert; the model's constraints stay the last word.
        validators: list[Any] = []
        model = Assessment
        fields = [
            "id", "project", "alternative", "criterion_code", "score", "justification",
            "assessor", "assessor_id", "assessed_at",
        ]  # fmt: skip
        read_only_fields = ["assessor_id", "assessed_at"]


class VersionSerializer(serializers.ModelSerializer[DiagnosisVersion]):
    project = serializers.IntegerField(source="diagnosis.project_id", read_only=True)
    started_by = serializers.CharField(read_only=True, allow_null=True)
    # Worded in the request's language from `cause` (the stored text for older rows).
    reason = serializers.SerializerMethodField()

    class Meta:
        model = DiagnosisVersion
        fields = [
            "id", "project", "number", "started_at", "started_by", "reason", "cause", "snapshot",
        ]  # fmt: skip
        read_only_fields = fields

    def get_reason(self, version: DiagnosisVersion) -> str:
        text = causes.cause_text(version.cause, version.reason)
        return text[:1].upper() + text[1:]
