"""The writes of the management layer, each in one named place with its permission check.

Pages and tests call these; a refused write raises ``PermissionDenied`` (the views answer
404 before that, for records the person may not see) or ``ValidationError``.
"""

from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.deals.models import DealStatus
from winroom.org.access import can_write

from .models import (
    Contract,
    ForecastAdjustment,
    Payment,
    RevenueSourceOverride,
    WatchedAccount,
    WatchReview,
)
from .scope import access_for

#: bumped on every write here, so cached figures are recomputed (see ``cached``)
VERSION_KEY = "insights:version"


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def record_payment(deal, *, by, amount, received_on, note: str = "") -> Payment:
    """Money received against a won deal; never more in all than the deal's amount."""
    if not can_write(by, deal):
        raise PermissionDenied
    if deal.status != DealStatus.WON:
        raise ValidationError(_("Payments are recorded against won opportunities only."))
    with transaction.atomic():
        paid = deal.payments.select_for_update().aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if paid + Decimal(amount) > deal.amount:
            raise ValidationError(
                {
                    "amount": _(
                        "Payments would exceed the opportunity's amount (%(amount)s; "
                        "%(paid)s received so far)."
                    )
                    % {"amount": deal.amount, "paid": paid}
                }
            )
        payment = Payment(
            deal=deal, amount=amount, received_on=received_on, note=note, recorded_by=by
        )
        payment.full_clean()
        payment.save()
    bump()
    return payment


def set_contract(deal, *, by, starts_on, ends_on, renewal_of=None) -> Contract:
    """The term of a won deal's contract, and the earlier deal whose contract it renews."""
    if not can_write(by, deal):
        raise PermissionDenied
    if deal.status != DealStatus.WON:
        raise ValidationError(_("Only a won opportunity has a contract."))
    contract = Contract.objects.filter(deal=deal).first() or Contract(deal=deal)
    contract.starts_on, contract.ends_on, contract.renewal_of = starts_on, ends_on, renewal_of
    contract._history_user = by
    contract.full_clean()
    contract.save()
    bump()
    return contract


def override_source(deal, *, by, source: str, reason: str) -> RevenueSourceOverride:
    """A manager corrects the derived revenue source of a won deal of someone they manage."""
    access = access_for(by)
    if not access.sees_teams or not access.may_see_rep(deal.owner_id):
        raise PermissionDenied
    if deal.status != DealStatus.WON:
        raise ValidationError(_("Only won opportunities count in the balance wheel."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the source is different.")})
    override, _created = RevenueSourceOverride.objects.update_or_create(
        deal=deal,
        defaults={"source": source, "reason": reason.strip(), "by": by, "at": timezone.now()},
    )
    bump()
    return override


def clear_override(deal, *, by) -> None:
    access = access_for(by)
    if not access.sees_teams or not access.may_see_rep(deal.owner_id):
        raise PermissionDenied
    RevenueSourceOverride.objects.filter(deal=deal).delete()
    bump()


def adjust_forecast(*, by, team=None, rep=None, month, kind, amount, reason) -> ForecastAdjustment:
    """A manager's call on the forecast of a team or person below them, with a reason."""
    access = access_for(by)
    if team is not None and not access.may_adjust_team(team.pk):
        raise PermissionDenied
    if rep is not None and not access.may_adjust_rep(rep.pk):
        raise PermissionDenied
    adjustment = ForecastAdjustment(
        by=by, team=team, rep=rep, month=month, kind=kind, amount=amount, reason=reason
    )
    adjustment.full_clean()
    adjustment.save()
    return adjustment


def _require_watch_editor(by, account) -> None:
    access = access_for(by)
    if not access.sees_teams:
        raise PermissionDenied
    from winroom.accounts.models import Account

    if not Account.objects.visible_to(by).filter(pk=account.pk).exists():
        raise PermissionDenied


def watch_account(account, *, by, kind: str, note: str = "") -> WatchedAccount:
    _require_watch_editor(by, account)
    watched, _created = WatchedAccount.objects.update_or_create(
        account=account, defaults={"kind": kind, "note": note, "added_by": by}
    )
    return watched


def unwatch_account(account, *, by) -> None:
    _require_watch_editor(by, account)
    WatchedAccount.objects.filter(account=account).delete()


def record_review(account, *, by, note: str, month=None) -> WatchReview:
    """The month's review note of a watched account (founders, directors, managers)."""
    _require_watch_editor(by, account)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what the review found.")})
    today = timezone.localdate()
    month = month or today.replace(day=1)
    review = WatchReview(account=account, month=month, note=note, by=by)
    review.full_clean()
    review.save()
    return review
