"""Sign-in by username and password (Django's `ModelBackend`), the signed-in user read with
their organisation: every page names it in the header, so it comes in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from reciproca.accounts.models import User


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
