"""The Content Security Policy by area: strict on the public site, what CKEditor needs in admin."""

from csp.middleware import CSPMiddleware

# CKEditor 5 sets style attributes and loads pasted or uploaded images as data: and blob: URLs.
ADMIN_PREFIXES = ("/admin/", "/ckeditor5/")
ADMIN_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.update = {**ADMIN_UPDATE, **(parts.update or {})}
        return parts
