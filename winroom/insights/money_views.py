"""A won deal's money: the payments received (collection ratio) and the contract term with
the earlier contract it renews (renewal rate). Readable by whoever reads the deal; recorded
by whoever may edit it."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from winroom.deals.models import Deal, DealStatus
from winroom.org.access import can_write, get_visible_or_404

from . import actions
from .forms import ContractForm, PaymentForm
from .models import Contract


def _renewable(deal):
    return (
        Deal.objects.filter(account_id=deal.account_id, status=DealStatus.WON)
        .exclude(pk=deal.pk)
        .order_by("-closed_at")
    )


@login_required
def deal_money(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("account", "owner"), request.user, pk=pk)
    if deal.status != DealStatus.WON:
        raise Http404
    writable = can_write(request.user, deal)
    contract = Contract.objects.filter(deal=deal).select_related("renewal_of").first()
    payment_form = PaymentForm(prefix="payment")
    contract_form = ContractForm(prefix="contract", instance=contract, renewable=_renewable(deal))
    if request.method == "POST":
        if not writable:
            raise Http404
        try:
            if "payment-amount" in request.POST:
                payment_form = PaymentForm(request.POST, prefix="payment")
                if payment_form.is_valid():
                    actions.record_payment(deal, by=request.user, **payment_form.cleaned_data)
                    messages.success(request, _("Payment recorded."))
                    return redirect("insights:deal_money", pk=deal.pk)
            else:
                contract_form = ContractForm(
                    request.POST, prefix="contract", instance=contract, renewable=_renewable(deal)
                )
                if contract_form.is_valid():
                    actions.set_contract(deal, by=request.user, **contract_form.cleaned_data)
                    messages.success(request, _("Contract term saved."))
                    return redirect("insights:deal_money", pk=deal.pk)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    payments = list(deal.payments.select_related("recorded_by"))
    collected = sum((p.amount for p in payments), Decimal(0))
    context = {
        "deal": deal,
        "writable": writable,
        "payments": payments,
        "collected": collected,
        "outstanding": deal.amount - collected,
        "contract": contract,
        "renewed_by": Contract.objects.filter(renewal_of=deal).select_related("deal").first(),
        "payment_form": payment_form,
        "contract_form": contract_form,
    }
    return render(request, "insights/deal_money.html", context)
