"""Press offices as the unit of permission.

A user holds a role (officer, lead) in an issuer's press office (`OfficeMembership`). What a
role may do is the permissions of its group (`releases.roles`, made by `sync_roles`); the
`OfficeBackend` grants them for the content of that office only:

- `user.has_perm(perm, obj)` answers from the office of `obj` (its issuer), and from the parent
  office's leads where the office has "parent office reviews" set (`releases.roles.PARENT_REVIEW`);
- `user.has_perm(perm)` answers from any of the user's memberships, so that admin menus and
  list pages work; what the list then shows is `scope()`d to the user's offices;
- offices that may only read an object (a joint release's co-issuers, `register(viewers=...)`)
  get what their role grants of the viewing permissions (`releases.roles.CO_ISSUER_VIEW`).

A permission held portal-wide (a group such as the portal administrators, or a superuser) holds
for every office. Apps tell this module, in their `AppConfig.ready`, where each model's office
is (`register`) and which groups stand for the roles (`register_roles`), as `contacts` imports no
app above it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from .models import OfficeMembership, Organisation


@dataclass(frozen=True)
class Office:
    """Where a model's office is: `path` to its issuer for querysets (None: not scoped, every
    row is listed), and `of(obj)`, the ids of the offices an object belongs to. `viewers_path`
    leads to further offices that may only look (a joint release's co-issuers)."""

    path: str | None
    of: Callable[[object], set[int]]
    viewers_path: str | None = None


_offices: dict[type, Office] = {}
_roles: dict[str, str] = {}  # role -> group name
_parent_review: set[str] = set()
_viewer_permissions: set[str] = set()


def _follow(path: str) -> Callable[[object], set[int]]:
    """The office of an object by following foreign keys, e.g. "release__issuer"."""
    *steps, last = path.split("__")

    def of(obj) -> set[int]:
        for step in steps:
            obj = getattr(obj, step, None)
            if obj is None:
                return set()
        office = obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)
        return {office} if office is not None else set()

    return of


def register(
    model,
    path: str | None,
    of: Callable[[object], Iterable[int]] | None = None,
    viewers: str | None = None,
):
    """Say where `model`'s office is: the lookup `path` to its issuer ("issuer",
    "release__issuer", "pk" for the issuer itself); `of(obj)` when that is not one foreign key;
    `viewers`, a lookup to offices that may read it too ("co_issuers")."""
    _offices[model] = Office(path, (lambda obj: set(of(obj))) if of else _follow(path), viewers)


def register_roles(
    groups: dict[str, str], parent_review: Iterable[str], viewers: Iterable[str] = ()
) -> None:
    """The group of each role, what a parent office's leads may do in a child office, and what
    the members of a viewing office (a co-issuer) may do with what it may read."""
    _roles.update(groups)
    _parent_review.update(parent_review)
    _viewer_permissions.update(viewers)


def _viewing_offices(obj, office: Office) -> set[int]:
    """The offices that may read `obj` besides its own (a joint release's co-issuers)."""
    if office.viewers_path is None or obj.pk is None:
        return set()
    found = type(obj)._default_manager.filter(pk=obj.pk)
    return {pk for pk in found.values_list(office.viewers_path, flat=True) if pk is not None}


def offices_of(obj) -> set[int] | None:
    """The offices `obj` belongs to; None for content of the whole portal (a topic)."""
    office = _offices.get(type(obj))
    return None if office is None else office.of(obj)


def _portal_wide(user) -> set[str]:
    """Permissions held for every office: the user's own and their groups' (ModelBackend)."""
    return ModelBackend().get_all_permissions(user)


def _role_permissions() -> dict[str, set[str]]:
    from django.contrib.auth.models import Permission

    granted = {role: set() for role in _roles}
    roles_by_group = {group: role for role, group in _roles.items()}
    rows = Permission.objects.filter(group__name__in=roles_by_group).values_list(
        "group__name", "content_type__app_label", "codename"
    )
    for group, app_label, codename in rows:
        granted[roles_by_group[group]].add(f"{app_label}.{codename}")
    return granted


def office_permissions(user) -> dict[int, set[str]]:
    """Office id -> what `user` may do there by membership (cached on the user, as Django's
    ModelBackend caches its permissions: a new membership counts from the next request)."""
    if not user.is_active or user.is_anonymous:
        return {}
    cached = getattr(user, "_office_perm_cache", None)
    if cached is not None:
        return cached
    memberships = list(
        OfficeMembership.objects.filter(user=user).values_list("organisation_id", "role")
    )
    granted: dict[int, set[str]] = {}
    if memberships:
        by_role = _role_permissions()
        for office, role in memberships:
            granted.setdefault(office, set()).update(by_role.get(role, ()))
        led = [office for office, role in memberships if role == OfficeMembership.Role.LEAD]
        review = by_role.get(OfficeMembership.Role.LEAD, set()) & _parent_review
        children = Organisation.objects.filter(parent__in=led, reviewed_by_parent=True)
        for child in children.values_list("pk", flat=True):
            granted.setdefault(child, set()).update(review)
    user._office_perm_cache = granted
    return granted


class OfficeBackend(BaseBackend):
    """Grants a role's permissions for the content of the offices where the user holds it."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        granted = office_permissions(user_obj)
        offices = None if obj is None else offices_of(obj)
        if not offices:
            # The whole portal (a menu, a list, a topic): what any membership grants.
            return set().union(*granted.values())
        permissions = set(_portal_wide(user_obj))
        # Content of several offices (a series) needs the permission in each of them.
        in_each = set.intersection(*(granted.get(office, set()) for office in offices))
        return permissions | in_each | self._as_viewer(obj, offices, granted)

    @staticmethod
    def _as_viewer(obj, offices: set[int], granted: dict[int, set[str]]) -> set[str]:
        """What a role in a viewing office (a co-issuer) grants: reading, never writing."""
        if not set(granted) - offices:
            return set()
        viewing = _viewing_offices(obj, _offices[type(obj)]) & set(granted)
        held = set().union(*(granted[office] for office in viewing))
        return held & _viewer_permissions

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        # The admin's index and menu: an app shows for a role held in any office.
        prefix = f"{app_label}."
        return any(perm.startswith(prefix) for perm in self.get_all_permissions(user_obj))


def offices_with(user, perm: str) -> set[int] | None:
    """The offices in which `user` holds `perm`; None when they hold it in every office."""
    if user.is_active and (user.is_superuser or perm in _portal_wide(user)):
        return None
    return {office for office, granted in office_permissions(user).items() if perm in granted}


def scope(queryset, user, perm: str):
    """`queryset` cut to the rows of the offices in which `user` holds `perm`."""
    office = _offices.get(queryset.model)
    if office is None or office.path is None:
        return queryset
    offices = offices_with(user, perm)
    if offices is None:
        return queryset
    own = Q(**{f"{office.path}__in": offices})
    if office.viewers_path and perm in _viewer_permissions:
        # A subquery, not a join: a row with several co-issuers is listed once.
        viewed = queryset.model._default_manager.filter(**{f"{office.viewers_path}__in": offices})
        own |= Q(pk__in=viewed.values("pk"))
    return queryset.filter(own)


def members(organisation, perm: str):
    """Active users who hold `perm` for `organisation`'s content: its own members whose role
    grants it, the parent office's leads where they review it, and whoever holds it for every
    office. For mail (review requests go to the office's leads, never to every lead)."""
    from django.contrib.auth import get_user_model

    app_label, codename = perm.split(".")
    granting = {role for role, permissions in _role_permissions().items() if perm in permissions}
    condition = Q(
        office_memberships__organisation=organisation, office_memberships__role__in=granting
    )
    if (
        organisation.parent_id
        and organisation.reviewed_by_parent
        and perm in _parent_review
        and OfficeMembership.Role.LEAD in granting
    ):
        condition |= Q(
            office_memberships__organisation=organisation.parent_id,
            office_memberships__role=OfficeMembership.Role.LEAD,
        )
    held = {"permissions__codename": codename, "permissions__content_type__app_label": app_label}
    condition |= Q(**{f"user_{key}": value for key, value in held.items()})
    condition |= Q(**{f"groups__{key}": value for key, value in held.items()})
    return get_user_model().objects.filter(condition, is_active=True).distinct()


class OfficeChoices:
    """Admin (and inline) choices follow the offices: the issuer offers only the offices the
    user may write for, other office-bound choices only what the user may see."""

    # Foreign keys to the issuer that are the object's office.
    office_fields = ("issuer", "organisation")

    def _perm(self, action: str, model=None) -> str:
        opts = (model or self.model)._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def office_choices(self, request):
        """The offices the user may write this model's content for."""
        user = request.user
        adding = offices_with(user, self._perm("add"))
        changing = offices_with(user, self._perm("change"))
        if adding is None or changing is None:
            return Organisation.objects.all()
        return Organisation.objects.filter(pk__in=adding | changing)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Organisation and db_field.name in self.office_fields:
            kwargs.setdefault("queryset", self.office_choices(request))
        elif related in _offices and "queryset" not in kwargs:
            kwargs["queryset"] = scope(
                related._default_manager.all(), request.user, self._perm("view", related)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        # Other offices (a joint release's co-issuers) are anybody's to name.
        if related in _offices and related is not Organisation and "queryset" not in kwargs:
            # E.g. a release links only its offices' publications: linking another office's
            # unpublished document would publish it with this release.
            kwargs["queryset"] = scope(
                related._default_manager.all(), request.user, self._perm("view", related)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OfficeAdmin(OfficeChoices):
    """A ModelAdmin mixin: lists, object pages, choices and permissions follow the offices.

    Another office's object answers 403 on every page (change, delete, history, the app's own
    views), also to a crafted URL or POST; a list never shows it.
    """

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self._perm("view"))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another office's: refused (a missing one gets Django's answer).
            field = from_field or self.model._meta.pk.attname
            try:
                exists = self.model._default_manager.filter(**{field: object_id}).exists()
            except (ValueError, TypeError, ValidationError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    # Each answer is the ModelAdmin's (or a read-only admin's) and, for an object, its office's.
    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        user = request.user
        return user.has_perm(self._perm("view"), obj) or user.has_perm(self._perm("change"), obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.has_perm(self._perm("change"), obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or request.user.has_perm(self._perm("delete"), obj))


class OfficeInline(OfficeChoices):
    """An inline mixin: its choices (a release's contacts) follow the user's offices, and its
    rows are written with the role held in the parent object's office. Django asks an inline's
    add/change/delete permission without an object, which a role in any office would answer."""

    def _in_office(self, request, action, obj) -> bool:
        return obj is None or request.user.has_perm(self._perm(action), obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._in_office(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._in_office(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._in_office(request, "delete", obj)
