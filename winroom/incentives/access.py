"""Who may read and decide on a rep's targets, standing and pay (METHODOLOGY §3.6).

Reading follows the product's one rule with the rep as the owner: the rep, their managers
(transitively) and administrators (``RepScopedQuerySet.visible_to``). Deciding — setting
targets, approving statements, reviewing a bottom-group month — is for the rep's managers and
administrators, never for the rep themselves (a manager does not approve their own pay).
"""

from winroom.org.access import viewer_for
from winroom.org.models import Role, User


def is_manager_or_admin(user) -> bool:
    viewer = viewer_for(user)
    return viewer.is_active and (viewer.is_admin or bool(viewer.managed_user_ids))


def may_read_rep(user, rep_id: int) -> bool:
    viewer = viewer_for(user)
    return viewer.is_active and (viewer.is_admin or rep_id in viewer.owner_scope)


def may_manage_rep(user, rep_id: int) -> bool:
    """Set targets, approve statements and review rankings of ``rep_id``."""
    viewer = viewer_for(user)
    if not viewer.is_active or rep_id == viewer.user_id:
        return False
    return viewer.is_admin or rep_id in viewer.managed_user_ids


def is_admin(user) -> bool:
    viewer = viewer_for(user)
    return viewer.is_active and viewer.is_admin


def managed_reps(user):
    """The active sales reps this person manages (administrators: every rep)."""
    viewer = viewer_for(user)
    reps = User.objects.filter(is_active=True, role=Role.REP)
    if not viewer.is_active:
        return reps.none()
    if viewer.is_admin:
        return reps
    return reps.filter(pk__in=sorted(viewer.managed_user_ids - {viewer.user_id}))


def readable_reps(user):
    """Active reps whose incentives this person reads: themselves, whom they manage, or all."""
    viewer = viewer_for(user)
    reps = User.objects.filter(is_active=True, role=Role.REP)
    if not viewer.is_active:
        return reps.none()
    if viewer.is_admin:
        return reps
    return reps.filter(pk__in=sorted(viewer.owner_scope))
