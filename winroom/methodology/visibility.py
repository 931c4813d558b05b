"""Who may see and change a record: the one visibility rule of the product.

- an inactive user may do nothing;
- an administrator reads and writes everything;
- anyone reads a record they own or are a team member of (the iron triangle);
- a manager reads everything owned by anyone in the teams they manage, transitively
  (a regional director sees the teams below);
- writing follows reading, except reassignment: only the owner, the owner's managers and
  administrators may give a record to someone else (a team member may edit but not reassign).

The database side (``visible_to`` querysets) implements the same rule as SQL; tests compare
both on the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .trees import team_subtree


@dataclass(frozen=True)
class Viewer:
    """The person asking, with the set of users whose records they manage."""

    user_id: int
    is_active: bool = True
    is_admin: bool = False
    #: every user in the teams this person manages, transitively (may include themselves)
    managed_user_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def owner_scope(self) -> frozenset[int]:
        """Owners whose records this viewer reads: themselves and everyone they manage."""
        return self.managed_user_ids | {self.user_id}


@dataclass(frozen=True)
class RecordAccess:
    """What the rule needs to know of a record: its owner and its team members."""

    owner_id: int | None
    member_ids: frozenset[int] = field(default_factory=frozenset)


def may_read(viewer: Viewer, record: RecordAccess) -> bool:
    if not viewer.is_active:
        return False
    if viewer.is_admin:
        return True
    if viewer.user_id in record.member_ids:
        return True
    return record.owner_id is not None and record.owner_id in viewer.owner_scope


def may_write(viewer: Viewer, record: RecordAccess) -> bool:
    return may_read(viewer, record)


def may_reassign(viewer: Viewer, record: RecordAccess) -> bool:
    """Owner, the owner's managers and administrators; team members may not."""
    if not viewer.is_active:
        return False
    if viewer.is_admin:
        return True
    return record.owner_id is not None and record.owner_id in viewer.owner_scope


def may_assign_to(viewer: Viewer, new_owner_id: int) -> bool:
    """Whom a viewer may make the owner: themselves or someone they manage (admins: anyone)."""
    if not viewer.is_active:
        return False
    return viewer.is_admin or new_owner_id in viewer.owner_scope


ADMIN_ROLE = "admin"


def build_viewer(
    *,
    user_id: int,
    role: str,
    is_active: bool,
    is_superuser: bool = False,
    managed_teams: Iterable[int] = (),
    team_parent: Mapping[int, int | None] | None = None,
    team_of_user: Mapping[int, int | None] | None = None,
) -> Viewer:
    """The viewer from a person's role and the teams they manage.

    ``team_parent`` maps each team to its parent team; ``team_of_user`` each user to their
    team. A manager's scope is everyone in the teams they manage and all teams below them.
    """
    is_admin = role == ADMIN_ROLE or is_superuser
    managed_users: frozenset[int] = frozenset()
    roots = list(managed_teams)
    if is_active and roots:
        teams = team_subtree(team_parent or {}, roots)
        managed_users = frozenset(
            user for user, team in (team_of_user or {}).items() if team in teams
        )
    return Viewer(
        user_id=user_id, is_active=is_active, is_admin=is_admin, managed_user_ids=managed_users
    )
