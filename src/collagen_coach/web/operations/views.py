"""The health answer for load balancers and monitors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from collagen_coach.web.operations.health import check_all


@login_not_required
@csrf_exempt  # it changes nothing: any other method than GET or HEAD gets 405
@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Give each check's status and figures as JSON: 200 when all are ok, 503 otherwise.

    Open to anyone (a load balancer has no account), read-only (GET and HEAD: no form, so no
    CSRF token), never throttled, and it names no person or record.
    """
    healthy, checks = check_all()
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
