"""Organisations, partnerships and programmes as the API shows and accepts them."""

from __future__ import annotations

from rest_framework import serializers

from reciproca.api.serializers.common import (
    BlankAsNullURLField,
    OrganisationBriefSerializer,
    ScopedPrimaryKeyField,
)
from reciproca.partnerships.models import Organisation, Partnership, Programme
from reciproca.partnerships.policies import partnerships_visible_to
from reciproca.territories.models import Country, Territory


class TerritoryBriefSerializer(serializers.ModelSerializer):
    country: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(
        slug_field="iso2", read_only=True, allow_null=True
    )

    class Meta:
        model = Territory
        fields = ["id", "name", "iso_code", "kind", "country"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    country: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(
        slug_field="iso2", read_only=True, allow_null=True
    )
    territory = TerritoryBriefSerializer(read_only=True, allow_null=True)
    website = BlankAsNullURLField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "article",
            "short_name",
            "kind",
            "kind_display",
            "is_host",
            "country",
            "territory",
            "iati_identifier",
            "website",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields


class OrganisationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    country = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), required=False, allow_null=True
    )
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(), required=False, allow_null=True
    )
    iati_identifier = serializers.CharField(max_length=100, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)


class PartnershipSerializer(serializers.ModelSerializer):
    host = OrganisationBriefSerializer(read_only=True)
    partner = OrganisationBriefSerializer(read_only=True)
    territory = TerritoryBriefSerializer(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    project_count = serializers.IntegerField(
        read_only=True, help_text="Projets du partenariat visibles par l'utilisateur."
    )

    class Meta:
        model = Partnership
        fields = [
            "id",
            "name",
            "host",
            "partner",
            "territory",
            "since_date",
            "until_date",
            "is_active",
            "successor",
            "description",
            "project_count",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields


class PartnershipCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    partner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    territory = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all())
    since_date = serializers.DateField()
    until_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class PartnershipUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False)
    since_date = serializers.DateField(required=False)
    until_date = serializers.DateField(required=False, allow_null=True)
    successor = ScopedPrimaryKeyField(
        scope=partnerships_visible_to,
        queryset=Partnership.objects.all(),
        required=False,
        allow_null=True,
    )
    description = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ProgrammeSerializer(serializers.ModelSerializer):
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "partnership",
            "partnership_name",
            "title",
            "start_date",
            "end_date",
            "description",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields


class ProgrammeCreateSerializer(serializers.Serializer):
    partnership = ScopedPrimaryKeyField(
        scope=partnerships_visible_to, queryset=Partnership.objects.all()
    )
    title = serializers.CharField(max_length=255)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
