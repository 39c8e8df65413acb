"""The Content Security Policy by area: strict on the public site, what CKEditor needs in admin."""

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

# CKEditor 5 sets style attributes and loads pasted or uploaded images as data: and blob: URLs.
ADMIN_PREFIXES = ("/admin/", "/ckeditor5/")
ADMIN_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        # The policy is the same for every response of an area: build each one once.
        self.built = {}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.update = {**ADMIN_UPDATE, **(parts.update or {})}
        return parts

    def process_response(self, request, response):
        special = any(getattr(response, name, None) for name in PER_RESPONSE)
        # Django's debug pages (404 and 500 with DEBUG on) keep their inline styles.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if special or debug_page or HEADER in response or getattr(request, "_csp_nonce", None):
            return super().process_response(request, response)
        area = "admin" if request.path_info.startswith(ADMIN_PREFIXES) else "public"
        if area not in self.built:
            self.built[area] = build_policy(**asdict(self.get_policy_parts(request, response)))
        response[HEADER] = self.built[area]
        return response
