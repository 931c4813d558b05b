"""Writes of targets, seller profiles, ranking reviews and commissions: one named function
each, one transaction each. A caller who may not decide gets PermissionDenied (views turn it
into 404); bad input is a ValidationError with a translated message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.methodology import commission as core
from winroom.methodology import targets as core_targets
from winroom.org.models import Role, User

from . import commissions
from .access import is_admin, managed_reps, may_manage_rep, may_read_rep
from .models import (
    CommissionPlan,
    CommissionStatement,
    DealMargin,
    Payout,
    RankingGroup,
    RankingReview,
    RankingSnapshot,
    RankingWeights,
    RepTarget,
    SellerProfile,
    StatementStatus,
)

# -- targets -------------------------------------------------------------------------------


def _rep(rep) -> User:
    if not isinstance(rep, User) or rep.role != Role.REP or not rep.is_active:
        raise ValidationError(_("Targets are set for active sales reps."))
    return rep


def set_target(
    *,
    rep,
    year: int,
    by,
    baseline: Decimal | None,
    challenge: Decimal | None,
    monthly: list | None = None,
    must_win=None,
) -> RepTarget:
    """Management's targets for a rep's year (top-down): baseline, challenge, the monthly
    split (even when not given) and the must-win accounts."""
    _rep(rep)
    if not may_manage_rep(by, rep.pk):
        raise PermissionDenied
    with transaction.atomic():
        target, _created = RepTarget.objects.select_for_update().get_or_create(rep=rep, year=year)
        target.baseline = baseline
        target.challenge = challenge
        if baseline is None:
            target.monthly = []
        elif monthly:
            target.monthly = [str(Decimal(str(v))) for v in monthly]
        else:
            target.monthly = [str(v) for v in core_targets.even_split(baseline)]
        target.set_by = by
        target.set_at = timezone.now()
        target._history_user = by
        target.full_clean()
        target.save()
        if must_win is not None:
            target.must_win_accounts.set(must_win)
    return target


def submit_bottom_up(*, rep, year: int, by, amount: Decimal, note: str = "") -> RepTarget:
    """The rep's own bottom-up number for the year, shown beside management's."""
    if by.pk != rep.pk:
        raise PermissionDenied
    _rep(rep)
    with transaction.atomic():
        target, _created = RepTarget.objects.select_for_update().get_or_create(rep=rep, year=year)
        target.bottom_up = amount
        target.bottom_up_note = note
        target.bottom_up_at = timezone.now()
        target._history_user = by
        target.full_clean()
        target.save()
    return target


# -- seller profiles -------------------------------------------------------------------------


def save_seller_profile(
    *, user, by, seller_type: str, accounts=(), regions=(), product_lines=()
) -> SellerProfile:
    if not may_manage_rep(by, user.pk):
        raise PermissionDenied
    with transaction.atomic():
        profile, _created = SellerProfile.objects.get_or_create(user=user)
        profile.seller_type = seller_type
        profile.regions = sorted({r.strip() for r in regions if r and r.strip()})
        profile.updated_by = by
        profile.full_clean()
        profile.save()
        profile.accounts.set(accounts)
        profile.product_lines.set(product_lines)
    return profile


# -- ranking -------------------------------------------------------------------------------


def save_weights(*, by, attainment, relationship, visits) -> RankingWeights:
    if not is_admin(by):
        raise PermissionDenied
    weights = RankingWeights.current()
    weights.attainment, weights.relationship, weights.visits = attainment, relationship, visits
    weights.updated_by = by
    weights.full_clean()
    weights.save()
    return weights


def record_review(*, rep, month: date, by, causes: str, help_agreed: str) -> RankingReview:
    """The review of a bottom-group month (§3.6): causes and the help agreed, by whom, when.

    Only for a month whose recorded ranking put the rep in the bottom group."""
    if not may_manage_rep(by, rep.pk):
        raise PermissionDenied
    month = month.replace(day=1)
    in_bottom = RankingSnapshot.objects.filter(
        month=month, rep=rep, group=RankingGroup.BOTTOM
    ).exists()
    if not in_bottom:
        raise ValidationError(
            _("Only a rep in the bottom group of a recorded month's ranking is reviewed.")
        )
    if not causes.strip() or not help_agreed.strip():
        raise ValidationError(_("Write down the causes and the help agreed."))
    review, _created = RankingReview.objects.update_or_create(
        month=month,
        rep=rep,
        defaults={
            "causes": causes.strip(),
            "help_agreed": help_agreed.strip(),
            "by": by,
            "at": timezone.now(),
        },
    )
    return review


# -- commission plans ----------------------------------------------------------------------


def save_plan(form, *, by) -> CommissionPlan:
    """Create or change a commission plan from its (valid) form: administrators only."""
    if not is_admin(by):
        raise PermissionDenied
    with transaction.atomic():
        plan = form.save(commit=False)
        plan.updated_by = by
        plan._history_user = by
        if plan.is_active:
            CommissionPlan.objects.filter(year=plan.year, is_active=True).exclude(
                pk=plan.pk
            ).update(is_active=False)
        plan.save()
        form.save_m2m()
    return plan


# -- statements ------------------------------------------------------------------------------


def build_statements(
    *, plan: CommissionPlan, period_start: date, by, reps=None, today: date | None = None
) -> list[CommissionStatement]:
    """Build (or rebuild) the drafts of ``plan``'s period containing ``period_start`` for the
    reps ``by`` manages (or the given ones among them); approved statements stay as they are."""
    today = today or timezone.localdate()
    period = core_targets.period_of(plan.period, period_start)
    if period.year != plan.year:
        raise ValidationError(_("The period is not in the plan's year."))
    allowed = managed_reps(by)
    if reps is not None:
        allowed = allowed.filter(pk__in=[getattr(r, "pk", r) for r in reps])
    rep_ids = list(allowed.order_by("pk").values_list("pk", flat=True))
    if not rep_ids:
        return []
    approved = set(
        CommissionStatement.objects.filter(
            plan=plan, period_start=period.start, status=StatementStatus.APPROVED
        ).values_list("rep_id", flat=True)
    )
    todo = [r for r in rep_ids if r not in approved]
    period_facts = commissions.statement_facts(plan, period, todo, today=today)
    built = []
    now = timezone.now()
    with transaction.atomic():
        for rep in todo:
            rep_facts = period_facts.reps[rep]
            core_plan = plan.core_plan(
                target=rep_facts.target, strategic_ids=period_facts.strategic_ids
            )
            result = core.statement(core_plan, rep_facts.facts)
            statement, _created = CommissionStatement.objects.update_or_create(
                rep_id=rep,
                plan=plan,
                period_start=period.start,
                defaults={
                    "period_kind": plan.period,
                    "period_end": period.end,
                    "status": StatementStatus.DRAFT,
                    "target": rep_facts.target,
                    "amounts": {k: str(v) for k, v in rep_facts.facts.amounts.items()},
                    "bookings": rep_facts.bookings,
                    "lines": commissions.serialise(
                        result, rep_facts.names, rep_facts.must_win_lost, plan=plan
                    ),
                    "must_win_lost": rep_facts.must_win_lost,
                    "gaps": period_facts.gaps,
                    "earned": result.earned,
                    "total": result.total,
                    "forfeited": result.forfeited,
                    "built_at": now,
                    "built_by": by,
                },
            )
            built.append(statement)
    return built


def approve_statement(statement: CommissionStatement, *, by, today: date | None = None):
    """A manager of the rep (or an administrator) approves a draft once its period is over;
    a payable total becomes a payout earned on the period's last day."""
    if not may_manage_rep(by, statement.rep_id):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        current = CommissionStatement.objects.select_for_update().get(pk=statement.pk)
        if current.status != StatementStatus.DRAFT:
            raise ValidationError(_("This statement is already approved."))
        if today < current.period_end:
            raise ValidationError(_("A statement is approved once its period is over."))
        current.status = StatementStatus.APPROVED
        current.approved_by = by
        current.approved_at = timezone.now()
        current.save(update_fields=["status", "approved_by", "approved_at"])
        if current.total > 0:
            Payout.objects.create(
                statement=current, amount=current.total, earned_on=current.last_day
            )
    return current


def record_payment(payout: Payout, *, by, paid_on: date) -> Payout:
    """Administrators (finance) record when a payout was paid."""
    if not is_admin(by) or not may_read_rep(by, payout.statement.rep_id):
        raise PermissionDenied
    if paid_on < payout.earned_on:
        raise ValidationError(_("A payout is paid on or after the day it was earned."))
    payout.paid_on = paid_on
    payout.paid_recorded_by = by
    payout.save(update_fields=["paid_on", "paid_recorded_by"])
    return payout


def set_deal_margin(deal, *, by, gross_margin: Decimal) -> DealMargin:
    """The gross margin of a won deal, recorded by a manager of its owner or an administrator."""
    if not may_manage_rep(by, deal.owner_id):
        raise PermissionDenied
    margin, _created = DealMargin.objects.update_or_create(
        deal=deal,
        defaults={"gross_margin": gross_margin, "recorded_by": by, "recorded_at": timezone.now()},
    )
    margin.full_clean()
    return margin
