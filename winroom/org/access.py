"""The bridge between the visibility rule of the methodology core and the database.

``viewer_for(user)`` resolves, once per request, the set of users whose records a person
manages; querysets' ``visible_to`` turn it into SQL, and views use ``get_visible_or_404``.
"""

from django.db.models import Q
from django.http import Http404

from winroom.methodology.trees import team_subtree
from winroom.methodology.visibility import (
    RecordAccess,
    Viewer,
    build_viewer,
    may_reassign,
    may_write,
)

from .models import Team, User

_CACHE_ATTR = "_winroom_viewer"


def viewer_for(user) -> Viewer:
    """The methodology's Viewer for a Django user, cached on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        viewer = Viewer(user_id=getattr(user, "pk", None) or 0, is_active=False)
    else:
        managed = list(Team.objects.filter(manager=user).values_list("pk", flat=True))
        team_parent: dict[int, int | None] = {}
        team_of_user: dict[int, int | None] = {}
        if managed:
            team_parent = dict(Team.objects.values_list("pk", "parent_id"))
            teams = team_subtree(team_parent, managed)
            team_of_user = dict(User.objects.filter(team_id__in=teams).values_list("pk", "team_id"))
        viewer = build_viewer(
            user_id=user.pk,
            role=user.role,
            is_active=True,
            is_superuser=user.is_superuser,
            managed_teams=managed,
            team_parent=team_parent,
            team_of_user=team_of_user,
        )
    setattr(user, _CACHE_ATTR, viewer)
    return viewer


def forget_viewer(user) -> None:
    """Drop the cached scope (after teams or roles change within one request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def owned_q(user, *, owner_field: str = "owner", member_q: Q | None = None) -> Q:
    """Rows the user may read, for a model with an owner (and optionally team members)."""
    viewer = viewer_for(user)
    if not viewer.is_active:
        return Q(pk__in=[])
    if viewer.is_admin:
        return Q()
    q = Q(**{f"{owner_field}_id__in": sorted(viewer.owner_scope)})
    if member_q is not None:
        q |= member_q
    return q


def get_visible_or_404(queryset, user, **lookup):
    """A record the user may read, else 404 (never 403: a refusal must not confirm existence)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def record_access(record) -> RecordAccess:
    return RecordAccess(owner_id=record.owner_id, member_ids=frozenset(record.member_ids()))


def can_write(user, record) -> bool:
    return may_write(viewer_for(user), record_access(record))


def can_reassign(user, record) -> bool:
    return may_reassign(viewer_for(user), record_access(record))


def assignable_users(user):
    """Active users this person may make an owner: themselves, whom they manage, or anyone."""
    viewer = viewer_for(user)
    users = User.objects.filter(is_active=True)
    if not viewer.is_active:
        return users.none()
    if viewer.is_admin:
        return users
    return users.filter(pk__in=viewer.owner_scope)
