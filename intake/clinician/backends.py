"""Django's ModelBackend, with a user's permissions read in one query instead of two (issue #7).

Every clinician page asks for a permission (roles.py: the worklist, a summary, the admin), and Django's backend reads
the user's own permissions and their groups' permissions in two queries. Here both come from one UNION; the answer is
the same set Django's backend gives (tests/security/test_permission_backend.py compares them), kept for the request
on the user object exactly as Django keeps it. Nothing is kept between requests: a role removed in the admin applies
to the user's next page.
"""

from __future__ import annotations

from django.contrib.auth import backends
from django.contrib.auth.models import Permission


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)  # every permission (Django's own query)
            groups = user_obj._meta.get_field("groups").related_query_name()
            columns = ("content_type__app_label", "codename")
            own = Permission.objects.filter(user=user_obj).values_list(*columns)
            of_groups = Permission.objects.filter(**{f"group__{groups}": user_obj}).values_list(*columns)
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in own.union(of_groups).order_by()}
        return user_obj._perm_cache
