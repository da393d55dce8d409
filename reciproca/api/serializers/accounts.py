"""The signed-in user, their organisation and grants; the token exchange."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reciproca.accounts.models import RoleGrant, User
from reciproca.api.serializers.common import OrganisationBriefSerializer
from reciproca.partnerships.policies import can_manage_organisations


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class GrantSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    scope = serializers.SerializerMethodField()
    scope_id = serializers.SerializerMethodField()
    scope_name = serializers.SerializerMethodField()

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "role_display", "scope", "scope_id", "scope_name", "granted_at"]
        read_only_fields = fields

    def get_scope(self, grant: RoleGrant) -> Literal["organisation", "partnership", "project"]:
        if grant.organisation_id:
            return "organisation"
        if grant.partnership_id:
            return "partnership"
        return "project"

    def get_scope_id(self, grant: RoleGrant) -> int:
        return int(grant.organisation_id or grant.partnership_id or grant.project_id or 0)

    def get_scope_name(self, grant: RoleGrant) -> str:
        return str(grant.organisation or grant.partnership or grant.project or "")


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)
    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)
    grants = GrantSerializer(many=True, read_only=True)
    can_manage_organisations = serializers.SerializerMethodField(
        help_text=_("Peut ajouter des organisations et des partenariats.")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "first_name",
            "last_name",
            "email",
            "preferred_language",
            "organisation",
            "grants",
            "can_manage_organisations",
        ]
        read_only_fields = fields

    def get_can_manage_organisations(self, user: User) -> bool:
        return bool(can_manage_organisations(user))
