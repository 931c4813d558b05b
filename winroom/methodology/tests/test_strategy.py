import pytest

from winroom.methodology.errors import MethodologyError, ReasonRequiredError
from winroom.methodology.strategy import (
    ALL_DECISION_ROLES,
    COMPETITIVE_TACTICS,
    RELATIONSHIP_STRATEGIES,
    CompetitiveStrategy,
    DecisionRole,
    RelationshipStatus,
    RelationshipStrategy,
    check_strategy_choice,
    missing_roles,
    suggest_competitive_strategy,
    suggested_relationship_strategy,
)

CS = CompetitiveStrategy
RS = RelationshipStrategy


def test_enum_values():
    assert [s.value for s in CompetitiveStrategy] == [
        "frontal",
        "flanking",
        "fragmentation",
        "defensive",
        "development",
    ]
    assert [s.value for s in RelationshipStatus] == [
        "strong_positive",
        "positive",
        "neutral",
        "negative",
        "strong_negative",
    ]
    assert [s.value for s in RelationshipStrategy] == [
        "suppress",
        "defend",
        "motivate",
        "advance",
        "balance",
    ]
    assert [r.value for r in DecisionRole] == ["approver", "decision_maker", "evaluator", "user"]
    assert tuple(DecisionRole) == ALL_DECISION_ROLES


def test_every_strategy_has_tactics():
    assert set(COMPETITIVE_TACTICS) == set(CompetitiveStrategy)
    all_codes = [code for tactics in COMPETITIVE_TACTICS.values() for code in tactics]
    assert all(tactics for tactics in COMPETITIVE_TACTICS.values())
    assert len(all_codes) == len(set(all_codes))
    assert all(code == code.lower() and " " not in code for code in all_codes)


@pytest.mark.parametrize(
    ("status", "strategy"),
    [
        ("strong_negative", RS.SUPPRESS),
        ("negative", RS.DEFEND),
        ("neutral", RS.MOTIVATE),
        ("positive", RS.ADVANCE),
        ("strong_positive", RS.BALANCE),
        (RelationshipStatus.NEUTRAL, RS.MOTIVATE),
    ],
)
def test_suggested_relationship_strategy(status, strategy):
    assert suggested_relationship_strategy(status) == strategy


def test_relationship_mapping_is_complete_and_one_to_one():
    assert set(RELATIONSHIP_STRATEGIES) == set(RelationshipStatus)
    assert set(RELATIONSHIP_STRATEGIES.values()) == set(RelationshipStrategy)


def test_unknown_status_raises():
    with pytest.raises(MethodologyError):
        suggested_relationship_strategy("hostile")


def test_relationship_statuses_match_the_accounts_app_values():
    # the accounts app stores these values; keep them identical (checked here as text,
    # since the core must not import Django)
    import pathlib

    models = pathlib.Path(__file__).resolve().parents[2] / "accounts" / "models.py"
    if not models.exists():
        pytest.skip("accounts app not present")
    text = models.read_text(encoding="utf-8")
    for status in RelationshipStatus:
        assert f'{status.name} = "{status.value}"' in text


def test_changing_a_suggestion_needs_a_reason():
    check_strategy_choice("motivate", "motivate", "")
    check_strategy_choice("motivate", "advance", "she asked for the pilot herself")
    with pytest.raises(ReasonRequiredError):
        check_strategy_choice("motivate", "advance", "  ")
    with pytest.raises(ReasonRequiredError):
        check_strategy_choice(CS.DEFENSIVE, CS.FRONTAL, "")


@pytest.mark.parametrize(
    ("present", "required", "missing"),
    [
        ([], None, ("approver", "decision_maker", "evaluator", "user")),
        (["user", "approver"], None, ("decision_maker", "evaluator")),
        (list(DecisionRole), None, ()),
        (["user", "user"], None, ("approver", "decision_maker", "evaluator")),
        (["evaluator"], ["decision_maker", "approver"], ("approver", "decision_maker")),
        (["approver"], ["approver"], ()),
        ([], [], ()),
    ],
)
def test_missing_roles(present, required, missing):
    result = missing_roles(present) if required is None else missing_roles(present, required)
    assert result == missing
    assert all(isinstance(role, DecisionRole) for role in result)


@pytest.mark.parametrize(("present", "required"), [(["sponsor"], None), ([], ["champion"])])
def test_missing_roles_rejects_unknown_codes(present, required):
    with pytest.raises(MethodologyError):
        if required is None:
            missing_roles(present)
        else:
            missing_roles(present, required)


@pytest.mark.parametrize(
    ("kwargs", "strategy", "reason"),
    [
        ({"rank": None, "s_us": None, "s_best_competitor": 12}, CS.DEVELOPMENT, "not_assessed"),
        ({"rank": 1, "s_us": None, "s_best_competitor": 12}, CS.DEVELOPMENT, "not_assessed"),
        ({"rank": 1, "s_us": 9, "s_best_competitor": None}, CS.DEFENSIVE, "no_known_competitor"),
        ({"rank": 1, "s_us": 20, "s_best_competitor": 12}, CS.DEFENSIVE, "leading"),
        ({"rank": 1, "s_us": 12, "s_best_competitor": 12}, CS.DEFENSIVE, "leading"),  # tie
        ({"rank": 4, "s_us": 4, "s_best_competitor": 25}, CS.DEVELOPMENT, "out_of_race"),
        # close behind: 16 ≥ 4/5 × 20
        (
            {
                "rank": 2,
                "s_us": 16,
                "s_best_competitor": 20,
                "our_fit": 4,
                "best_competitor_fit": 4,
            },
            CS.FLANKING,
            "close_behind",
        ),
        (
            {
                "rank": 2,
                "s_us": 16,
                "s_best_competitor": 20,
                "our_fit": 5,
                "best_competitor_fit": 4,
            },
            CS.FRONTAL,
            "close_behind_stronger_fit",
        ),
        ({"rank": 2, "s_us": 16, "s_best_competitor": 20}, CS.FLANKING, "close_behind"),
        # 15 < 16 = 4/5 × 20: far behind
        (
            {"rank": 3, "s_us": 15, "s_best_competitor": 20, "has_coach": True},
            CS.FRAGMENTATION,
            "far_behind_with_coach",
        ),
        (
            {"rank": 3, "s_us": 15, "s_best_competitor": 20, "has_coach": False},
            CS.DEVELOPMENT,
            "far_behind",
        ),
        (
            {"rank": 2, "s_us": 4, "s_best_competitor": 20, "has_coach": None},
            CS.DEVELOPMENT,
            "far_behind",
        ),
    ],
)
def test_suggest_competitive_strategy(kwargs, strategy, reason):
    kwargs = {"has_coach": True} | kwargs
    suggestion = suggest_competitive_strategy(**kwargs)
    assert suggestion.strategy == strategy
    assert suggestion.reason == reason
    assert suggestion.tactics == COMPETITIVE_TACTICS[strategy]


def test_rank_below_one_raises():
    with pytest.raises(MethodologyError):
        suggest_competitive_strategy(rank=0, s_us=4, s_best_competitor=4, has_coach=True)
