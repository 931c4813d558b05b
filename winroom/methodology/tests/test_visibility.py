import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.trees import team_subtree, would_create_cycle
from winroom.methodology.visibility import (
    RecordAccess,
    Viewer,
    may_assign_to,
    may_read,
    may_reassign,
    may_write,
)

OWNER, TEAMMATE, MEMBER, OUTSIDER, MANAGER, OTHER_MANAGER, DIRECTOR, ADMIN = range(1, 9)

RECORD = RecordAccess(owner_id=OWNER, member_ids=frozenset({MEMBER}))

VIEWERS = {
    "owner": Viewer(OWNER),
    "same-team rep, not on the record": Viewer(TEAMMATE),
    "iron-triangle member": Viewer(MEMBER),
    "other-team rep": Viewer(OUTSIDER),
    "team manager": Viewer(MANAGER, managed_user_ids=frozenset({OWNER, TEAMMATE, MEMBER})),
    "other-team manager": Viewer(OTHER_MANAGER, managed_user_ids=frozenset({OUTSIDER})),
    "director above both": Viewer(
        DIRECTOR, managed_user_ids=frozenset({OWNER, TEAMMATE, MEMBER, OUTSIDER, MANAGER})
    ),
    "administrator": Viewer(ADMIN, is_admin=True),
    "deactivated owner": Viewer(OWNER, is_active=False),
    "deactivated admin": Viewer(ADMIN, is_admin=True, is_active=False),
}

EXPECTED = {  # name: (read, write, reassign)
    "owner": (True, True, True),
    "same-team rep, not on the record": (False, False, False),
    "iron-triangle member": (True, True, False),
    "other-team rep": (False, False, False),
    "team manager": (True, True, True),
    "other-team manager": (False, False, False),
    "director above both": (True, True, True),
    "administrator": (True, True, True),
    "deactivated owner": (False, False, False),
    "deactivated admin": (False, False, False),
}


@pytest.mark.parametrize("name", list(VIEWERS))
def test_matrix(name):
    viewer = VIEWERS[name]
    got = (may_read(viewer, RECORD), may_write(viewer, RECORD), may_reassign(viewer, RECORD))
    assert got == EXPECTED[name]


def test_unowned_record_is_seen_by_members_and_admins_only():
    record = RecordAccess(owner_id=None, member_ids=frozenset({MEMBER}))
    assert may_read(Viewer(MEMBER), record)
    assert not may_reassign(Viewer(MEMBER), record)
    assert not may_read(VIEWERS["director above both"], record)
    assert may_reassign(VIEWERS["administrator"], record)


def test_manager_reads_own_records_even_outside_managed_teams():
    record = RecordAccess(owner_id=MANAGER)
    assert may_read(Viewer(MANAGER), record)


def test_assignment_is_limited_to_own_scope():
    manager = VIEWERS["team manager"]
    assert may_assign_to(manager, TEAMMATE)
    assert may_assign_to(manager, MANAGER)
    assert not may_assign_to(manager, OUTSIDER)
    assert not may_assign_to(Viewer(OWNER), TEAMMATE)
    assert may_assign_to(VIEWERS["administrator"], OUTSIDER)
    assert not may_assign_to(VIEWERS["deactivated admin"], OUTSIDER)


def test_team_subtree_is_transitive():
    parent_of = {1: None, 2: 1, 3: 1, 4: 2, 5: 4, 6: None}
    assert team_subtree(parent_of, [1]) == {1, 2, 3, 4, 5}
    assert team_subtree(parent_of, [2]) == {2, 4, 5}
    assert team_subtree(parent_of, [5]) == {5}
    assert team_subtree(parent_of, [3, 6]) == {3, 6}
    assert team_subtree(parent_of, []) == frozenset()


def test_team_subtree_survives_a_loop_in_the_data():
    assert team_subtree({1: 2, 2: 1}, [1]) == {1, 2}


def test_team_subtree_unknown_root():
    with pytest.raises(MethodologyError):
        team_subtree({1: None}, [99])


def test_cycle_detection():
    parent_of = {1: None, 2: 1, 3: 2, 4: None}
    assert would_create_cycle(parent_of, 1, 3)  # 1 under its own grandchild
    assert would_create_cycle(parent_of, 2, 2)  # under itself
    assert not would_create_cycle(parent_of, 3, 1)
    assert not would_create_cycle(parent_of, 1, None)
    assert not would_create_cycle(parent_of, 4, 3)
    # an existing loop elsewhere does not hang and is not blamed on this edit
    assert not would_create_cycle({1: 2, 2: 1, 5: None}, 5, 1)


def test_build_viewer_from_roles_and_teams():
    # HQ(1) → East(2) → East-1(4); HQ → West(3)
    team_parent = {1: None, 2: 1, 3: 1, 4: 2}
    team_of_user = {10: 4, 11: 2, 12: 3, 13: 1}
    from winroom.methodology.visibility import build_viewer

    director = build_viewer(
        user_id=13,
        role="manager",
        is_active=True,
        managed_teams=[1],
        team_parent=team_parent,
        team_of_user=team_of_user,
    )
    assert director.managed_user_ids == {10, 11, 12, 13}
    east = build_viewer(
        user_id=11,
        role="manager",
        is_active=True,
        managed_teams=[2],
        team_parent=team_parent,
        team_of_user=team_of_user,
    )
    assert east.managed_user_ids == {10, 11}
    assert may_read(east, RecordAccess(owner_id=10))
    assert not may_read(east, RecordAccess(owner_id=12))
    rep = build_viewer(user_id=10, role="rep", is_active=True)
    assert rep.managed_user_ids == frozenset()
    assert build_viewer(user_id=1, role="admin", is_active=True).is_admin
    assert build_viewer(user_id=1, role="rep", is_active=True, is_superuser=True).is_admin
    gone = build_viewer(
        user_id=11,
        role="manager",
        is_active=False,
        managed_teams=[2],
        team_parent=team_parent,
        team_of_user=team_of_user,
    )
    assert not may_read(gone, RecordAccess(owner_id=10))
