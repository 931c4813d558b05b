"""Whose numbers a page shows, and who may ask for them.

A scope is the whole company, a team with all the teams below it, or one person. The rule,
built on the product's one visibility rule (``winroom.org.access.viewer_for``):

- an administrator may ask for any scope; the company scope is theirs alone;
- a manager may ask for the teams they manage and every team below them (a director sees
  the regions under them), and for each person in those teams — never for a team above or
  beside their own;
- anyone else (a rep) may ask only for their own numbers.

Anything else is "not found" (404), the product's answer that does not confirm a team or a
person exists. ``?scope=company``, ``?scope=team:<id>`` or ``?scope=rep:<id>`` choose; the
default is the widest scope the person may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from winroom.methodology.trees import team_subtree
from winroom.org.access import viewer_for
from winroom.org.models import Role, Team, User

COMPANY, TEAM, REP = "company", "team", "rep"


@dataclass
class TeamTree:
    """The whole team tree, read in one query."""

    parent: dict[int, int | None]
    names: dict[int, str]
    managers: dict[int, int | None]

    @classmethod
    def load(cls) -> TeamTree:
        rows = list(Team.objects.values_list("pk", "parent_id", "name", "manager_id"))
        return cls(
            parent={pk: parent for pk, parent, _n, _m in rows},
            names={pk: name for pk, _p, name, _m in rows},
            managers={pk: manager for pk, _p, _n, manager in rows},
        )

    @cached_property
    def children(self) -> dict[int | None, list[int]]:
        result: dict[int | None, list[int]] = {}
        for team, parent in self.parent.items():
            result.setdefault(parent if parent in self.parent else None, []).append(team)
        for items in result.values():
            items.sort(key=lambda pk: self.names[pk])
        return result

    def subtree(self, roots) -> frozenset[int]:
        return team_subtree(self.parent, [r for r in roots if r in self.parent])

    def depth(self, team: int) -> int:
        depth, node, seen = 0, self.parent.get(team), {team}
        while node is not None and node not in seen:
            seen.add(node)
            depth += 1
            node = self.parent.get(node)
        return depth

    def ordered(self, roots) -> list[int]:
        """The teams at and below ``roots``, depth first, siblings by name."""
        result: list[int] = []
        seen: set[int] = set()

        def walk(team: int) -> None:
            if team in seen:
                return
            seen.add(team)
            result.append(team)
            for child in self.children.get(team, []):
                walk(child)

        for root in sorted(roots, key=lambda pk: self.names.get(pk, "")):
            walk(root)
        return result


@dataclass
class Scope:
    """Whose numbers: ``owner_ids`` None means everyone (the company)."""

    kind: str
    label: str
    owner_ids: frozenset[int] | None
    tree: TeamTree
    team_id: int | None = None
    rep: User | None = None
    #: the teams of the scope (all teams for the company, none for one person)
    team_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def code(self) -> str:
        if self.kind == TEAM:
            return f"team:{self.team_id}"
        if self.kind == REP:
            return f"rep:{self.rep.pk}"
        return COMPANY

    def q(self, owner_field: str = "owner") -> Q:
        if self.owner_ids is None:
            return Q()
        return Q(**{f"{owner_field}_id__in": sorted(self.owner_ids)})

    def includes(self, owner_id: int | None) -> bool:
        return self.owner_ids is None or owner_id in self.owner_ids

    @property
    def is_team(self) -> bool:
        return self.kind in (COMPANY, TEAM)


@dataclass
class Access:
    """What one person may ask for: the teams and people in their reach."""

    user: User
    is_admin: bool
    team_ids: frozenset[int]  # teams they may open (all for an administrator)
    owner_ids: frozenset[int] | None  # people they may open (None: everyone)
    tree: TeamTree

    @property
    def sees_teams(self) -> bool:
        return self.is_admin or bool(self.team_ids)

    def may_see_team(self, team_id: int) -> bool:
        return self.is_admin or team_id in self.team_ids

    def may_see_rep(self, user_id: int) -> bool:
        return self.owner_ids is None or user_id in self.owner_ids

    def may_adjust_team(self, team_id: int) -> bool:
        return self.may_see_team(team_id)

    def may_adjust_rep(self, user_id: int) -> bool:
        """Managers adjust the people they manage, never their own forecast."""
        return self.sees_teams and user_id != self.user.pk and self.may_see_rep(user_id)

    def top_teams(self) -> list[int]:
        """The highest teams in reach (for an administrator, the roots of the tree)."""
        if self.is_admin:
            return list(self.tree.children.get(None, []))
        return [t for t in self.team_ids if self.tree.parent.get(t) not in self.team_ids]


def access_for(user) -> Access:
    viewer = viewer_for(user)
    if not viewer.is_active:
        raise Http404
    tree = TeamTree.load()
    if viewer.is_admin:
        return Access(user, True, frozenset(tree.parent), None, tree)
    managed = [pk for pk, manager in tree.managers.items() if manager == user.pk]
    teams = tree.subtree(managed) if managed else frozenset()
    return Access(user, False, teams, frozenset(viewer.owner_scope), tree)


def team_members(team_ids) -> frozenset[int]:
    return frozenset(User.objects.filter(team_id__in=sorted(team_ids)).values_list("pk", flat=True))


def resolve(user, code: str | None, *, teams_only: bool = False) -> tuple[Access, Scope]:
    """The scope ``code`` names, if this person may see it; else 404.

    ``teams_only`` refuses a one-person scope (pages that only make sense for a team)."""
    access = access_for(user)
    code = (code or "").strip()
    if not code:
        code = default_code(access)
    kind, _sep, raw = code.partition(":")
    if kind == COMPANY and not raw:
        if not access.is_admin:
            raise Http404
        return access, Scope(
            COMPANY,
            _("Whole company"),
            None,
            access.tree,
            team_ids=frozenset(access.tree.parent),
        )
    try:
        number = int(raw)
    except ValueError as error:
        raise Http404 from error
    if kind == TEAM:
        if number not in access.tree.parent or not access.may_see_team(number):
            raise Http404
        teams = access.tree.subtree([number])
        return access, Scope(
            TEAM,
            access.tree.names[number],
            team_members(teams),
            access.tree,
            team_id=number,
            team_ids=teams,
        )
    if kind == REP and not teams_only:
        if not access.may_see_rep(number):
            raise Http404
        rep = User.objects.filter(pk=number).first()
        if rep is None:
            raise Http404
        return access, Scope(REP, str(rep), frozenset({rep.pk}), access.tree, rep=rep)
    raise Http404


def default_code(access: Access) -> str:
    if access.is_admin:
        return COMPANY
    tops = sorted(access.top_teams(), key=lambda pk: access.tree.names[pk])
    if tops:
        return f"{TEAM}:{tops[0]}"
    return f"{REP}:{access.user.pk}"


def choices(access: Access, *, teams_only: bool = False) -> list[tuple[str, str]]:
    """The scopes this person may pick, teams indented by depth, then people."""
    options: list[tuple[str, str]] = []
    if access.is_admin:
        options.append((COMPANY, _("Whole company")))
    roots = access.top_teams()
    for team in access.tree.ordered(roots):
        depth = access.tree.depth(team) - (0 if access.is_admin else _root_depth(access, team))
        options.append((f"{TEAM}:{team}", "\u2003" * max(depth, 0) + access.tree.names[team]))
    if not teams_only:
        people = User.objects.filter(is_active=True)
        if access.owner_ids is not None:
            people = people.filter(pk__in=sorted(access.owner_ids))
        for person in people.order_by("display_name", "username"):
            options.append((f"{REP}:{person.pk}", f"· {person}"))
    return options


def _root_depth(access: Access, team: int) -> int:
    tops = set(access.top_teams())
    node: int | None = team
    while node is not None and node not in tops:
        node = access.tree.parent.get(node)
    return access.tree.depth(node) if node is not None else 0


def active_reps(scope: Scope) -> int:
    """How many active sales reps the scope holds (one person counts as one)."""
    if scope.kind == REP:
        return 1
    reps = User.objects.filter(is_active=True, role=Role.REP)
    if scope.owner_ids is not None:
        reps = reps.filter(pk__in=sorted(scope.owner_ids))
    return reps.count()
