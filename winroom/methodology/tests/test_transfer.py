import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.transfer import (
    Move,
    TransferItem,
    TransferKind,
    plan_transfer,
)

LEAVING = 7
ALICE = 11
BOB = 12
OTHER = 99

RECORDS = (
    TransferItem("account", 1, LEAVING),
    TransferItem("account", 2, OTHER),
    TransferItem("deal", 1, LEAVING),
    TransferItem("deal", 2, LEAVING),
    TransferItem("action", 5, LEAVING),
    TransferItem("action", 6, OTHER),
)


def test_kinds():
    assert [k.value for k in TransferKind] == ["account", "deal", "action"]


def test_per_kind_successors():
    plan = plan_transfer(
        RECORDS,
        leaving_user_id=LEAVING,
        successors={"account": ALICE, "deal": BOB, "action": ALICE},
        default_successor=None,
    )
    assert plan.moves == (
        Move("account", 1, ALICE),
        Move("deal", 1, BOB),
        Move("deal", 2, BOB),
        Move("action", 5, ALICE),
    )
    assert plan.unassigned == ()
    assert plan.complete
    assert plan.moves_by_owner() == {
        ALICE: (Move("account", 1, ALICE), Move("action", 5, ALICE)),
        BOB: (Move("deal", 1, BOB), Move("deal", 2, BOB)),
    }


def test_default_successor_fills_in():
    plan = plan_transfer(
        RECORDS, leaving_user_id=LEAVING, successors={"deal": BOB}, default_successor=ALICE
    )
    assert plan.moves == (
        Move("account", 1, ALICE),
        Move("deal", 1, BOB),
        Move("deal", 2, BOB),
        Move("action", 5, ALICE),
    )


def test_default_only():
    plan = plan_transfer(RECORDS, leaving_user_id=LEAVING, successors={}, default_successor=BOB)
    assert {m.new_owner for m in plan.moves} == {BOB}
    assert len(plan.moves) == 4


def test_unassigned_without_successor():
    plan = plan_transfer(RECORDS, leaving_user_id=LEAVING, successors={"account": ALICE})
    assert plan.moves == (Move("account", 1, ALICE),)
    assert plan.unassigned == (
        TransferItem("deal", 1, LEAVING),
        TransferItem("deal", 2, LEAVING),
        TransferItem("action", 5, LEAVING),
    )
    assert not plan.complete


def test_other_owners_untouched():
    plan = plan_transfer(RECORDS, leaving_user_id=LEAVING, successors={}, default_successor=ALICE)
    moved = {(m.kind, m.record_id) for m in plan.moves}
    assert ("account", 2) not in moved
    assert ("action", 6) not in moved


def test_records_already_owned_by_the_successor_are_untouched():
    plan = plan_transfer(
        [TransferItem("deal", 3, ALICE)],
        leaving_user_id=LEAVING,
        successors={},
        default_successor=ALICE,
    )
    assert plan.moves == ()


def test_nothing_to_transfer():
    plan = plan_transfer([], leaving_user_id=LEAVING, successors={}, default_successor=None)
    assert plan.moves == plan.unassigned == ()
    assert plan.complete
    assert plan.moves_by_owner() == {}


def test_unknown_kinds_are_accepted_as_given():
    plan = plan_transfer(
        [TransferItem("contract", 4, LEAVING)],
        leaving_user_id=LEAVING,
        successors={"contract": BOB},
    )
    assert plan.moves == (Move("contract", 4, BOB),)


def test_kind_enum_and_plain_strings_agree():
    plan = plan_transfer(
        [TransferItem(TransferKind.DEAL, 1, LEAVING)],
        leaving_user_id=LEAVING,
        successors={"deal": BOB},
    )
    assert plan.moves == (Move("deal", 1, BOB),)


def test_plan_records_its_inputs():
    plan = plan_transfer(
        RECORDS, leaving_user_id=LEAVING, successors={"deal": BOB}, default_successor=ALICE
    )
    assert plan.leaving_user_id == LEAVING
    assert dict(plan.successors) == {"deal": BOB}
    assert plan.default_successor == ALICE


def test_records_may_be_a_generator():
    plan = plan_transfer(
        (r for r in RECORDS), leaving_user_id=LEAVING, successors={}, default_successor=BOB
    )
    assert len(plan.moves) == 4


@pytest.mark.parametrize(
    ("successors", "default"),
    [
        ({"deal": LEAVING}, ALICE),
        ({}, LEAVING),
        ({"account": ALICE, "action": LEAVING}, None),
    ],
)
def test_successor_equal_to_leaving_user_raises(successors, default):
    with pytest.raises(MethodologyError):
        plan_transfer(
            RECORDS, leaving_user_id=LEAVING, successors=successors, default_successor=default
        )


def test_successor_check_holds_even_without_records_of_that_kind():
    with pytest.raises(MethodologyError):
        plan_transfer([], leaving_user_id=LEAVING, successors={"deal": LEAVING})


def test_duplicate_record_raises():
    records = [TransferItem("deal", 1, LEAVING), TransferItem("deal", 1, OTHER)]
    with pytest.raises(MethodologyError):
        plan_transfer(records, leaving_user_id=LEAVING, successors={}, default_successor=BOB)


def test_same_id_of_different_kinds_is_fine():
    records = [TransferItem("deal", 1, LEAVING), TransferItem("account", 1, LEAVING)]
    plan = plan_transfer(records, leaving_user_id=LEAVING, successors={}, default_successor=BOB)
    assert len(plan.moves) == 2


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"leaving_user_id": "7", "successors": {}},
        {"leaving_user_id": True, "successors": {}},
        {"leaving_user_id": LEAVING, "successors": {"deal": "11"}},
        {"leaving_user_id": LEAVING, "successors": {"": ALICE}},
        {"leaving_user_id": LEAVING, "successors": {}, "default_successor": 1.0},
    ],
)
def test_invalid_arguments(kwargs):
    with pytest.raises(MethodologyError):
        plan_transfer([], **kwargs)


@pytest.mark.parametrize(
    ("kind", "record_id", "owner_id"),
    [("", 1, LEAVING), (" ", 1, LEAVING), ("deal", "1", LEAVING), ("deal", 1, None)],
)
def test_invalid_items(kind, record_id, owner_id):
    with pytest.raises(MethodologyError):
        TransferItem(kind, record_id, owner_id)
