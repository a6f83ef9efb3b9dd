"""Where a signed-in staff member lands: the worklist for clinical roles, the admin for the front desk."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from ..roles import VIEW_CLINICAL


@login_required
def home(request):
    if request.user.has_perm(VIEW_CLINICAL):
        return redirect("clinician:worklist")
    if request.user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied
