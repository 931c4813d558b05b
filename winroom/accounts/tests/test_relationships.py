"""Key-account management: relationship scores, red lines, levels, seven elements (§1.2–§1.4)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.accounts import actions as account_actions
from winroom.accounts.models import (
    Contact,
    ContactIndicator,
    LevelIndicator,
    RedLineRule,
    RelationshipActionType,
    RelationshipLevelChange,
)
from winroom.accounts.relationships import account_score, annotate, elements_of, scores_for
from winroom.activities.actions import delete_activity, log_activity, update_activity
from winroom.deals import actions as deal_actions
from winroom.deals.models import DealPerson
from winroom.org.models import CompanySettings
from winroom.testing.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def action(code):
    return RelationshipActionType.objects.get(code=code)


def log(company, contact, codes, *, days_ago=0, subject="交流", notes=""):
    return log_activity(
        by=company.owner,
        data={
            "account": contact.account,
            "kind": "meeting",
            "subject": subject,
            "notes": notes,
            "occurred_at": timezone.now() - timedelta(days=days_ago),
            "participants": [contact],
            "relationship_actions": [action(code) for code in codes],
        },
    )


def score_of(contact):
    contact = Contact.objects.get(pk=contact.pk)
    return scores_for([contact], company=CompanySettings.current())[contact.pk]


def test_catalogue_is_seeded_with_the_methodology_examples():
    points = dict(RelationshipActionType.objects.values_list("code", "points"))
    assert points["office_visit"] == Decimal("0.1")
    assert points["technical_exchange"] == Decimal(2)
    assert points["hq_visit"] == Decimal(5)
    assert points["reference_visit"] == Decimal(8)
    assert points["strategic_agreement"] == Decimal(10)
    assert action("hq_visit").name == "邀请考察公司总部"


def test_score_sums_points_times_the_level_coefficient_inside_the_window(company):
    contact = company.contact
    Contact.objects.filter(pk=contact.pk).update(level="executive")
    log(company, contact, ["technical_exchange", "hq_visit"])  # 7 × 1.5
    log(company, contact, ["reference_visit"], days_ago=400)  # outside 365 days
    score = score_of(contact)
    assert score.score == Decimal("10.5")
    assert score.coefficient == Decimal("1.5")
    assert [c.action.code for c in score.counted] == ["technical_exchange", "hq_visit"]

    settings = CompanySettings.current()
    settings.score_window_days = 500
    settings.save()
    assert score_of(contact).score == Decimal("22.5")  # (7 + 8) × 1.5


def test_score_is_capped_and_deleted_activities_do_not_count(company):
    contact = company.contact
    for _ in range(11):
        log(company, contact, ["strategic_agreement"])
    assert score_of(contact).score == Decimal(100)
    assert score_of(contact).capped
    gone = log(company, ContactFactory(account=company.account), ["strategic_agreement"])
    delete_activity(gone, by=company.owner)
    assert score_of(gone.participants.get()).score == 0


def test_red_line_breach_is_refused_with_the_rules_text(company):
    rule = RedLineRule.objects.create(
        name="礼品", text="严禁赠送贵重礼品。", keywords="名表\nluxury watch"
    )
    rule.forbidden_actions.add(action("business_meal"))
    with pytest.raises(ValidationError) as error:
        log(company, company.contact, ["technical_exchange"], notes="送了一块 Luxury  Watch")
    assert error.value.message_dict == {"notes": ["严禁赠送贵重礼品。"]}
    with pytest.raises(ValidationError) as error:
        log(company, company.contact, ["business_meal"])
    assert error.value.message_dict == {"relationship_actions": ["严禁赠送贵重礼品。"]}
    activity = log(company, company.contact, ["technical_exchange"])
    with pytest.raises(ValidationError):
        update_activity(
            activity, by=company.owner, data={"notes": "名表一块"}, expected_version=None
        )
    assert not company.contact.activities.filter(notes__contains="名表").exists()


def test_red_line_breach_through_the_activity_form(company, login):
    RedLineRule.objects.create(name="回扣", text="公司红线：严禁回扣。", keywords="回扣")
    client = login(company.owner)
    response = client.post(
        reverse("activities:create"),
        {
            "account": company.account.pk,
            "kind": "meeting",
            "occurred_at": "2026-01-05T10:00",
            "subject": "商谈回扣比例",
            "participants": [company.contact.pk],
            "relationship_actions": [action("technical_exchange").pk],
        },
    )
    assert response.status_code == 200
    assert "公司红线：严禁回扣。" in response.content.decode()
    assert not company.contact.activities.exists()


def test_level_changes_are_recorded_and_stored(company):
    contact = company.contact
    account_actions.update_contact(
        contact, by=company.owner, data={"relationship_status": "positive"}, expected_version=None
    )
    assert Contact.objects.get(pk=contact.pk).relationship_level == "neutral"
    for _ in range(4):
        log(company, contact, ["strategic_agreement"])  # 40
    contact.refresh_from_db()
    assert contact.relationship_level == "supporter"
    activity = log(company, contact, ["strategic_agreement"])
    delete_activity(activity, by=company.owner)
    account_actions.update_contact(
        contact, by=company.owner, data={"relationship_status": "negative"}, expected_version=None
    )
    history = list(
        RelationshipLevelChange.objects.filter(contact=contact)
        .order_by("pk")
        .values_list("old", "new")
    )
    assert history == [("neutral", "supporter"), ("supporter", "opponent")]
    assert Contact.objects.filter(relationship_level="opponent").get() == contact


def test_contact_page_shows_score_level_and_what_is_missing(company, login):
    contact = company.contact
    log(company, contact, ["technical_exchange"])
    company.owner.language = "en"  # compare with the English wording
    company.owner.save(update_fields=["language"])
    page = login(company.owner).get(reverse("contacts:detail", args=[contact.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "技术交流" in html
    assert "2.0 × 1.00 = 2" in html
    missing = page.context["missing"]
    assert missing == ["score at least 40", "relationship status positive"]
    for label in missing:
        assert label in html


def test_missing_for_iron_supporter_lists_the_unmet_indicators(company):
    contact = company.contact
    contact.relationship_status = "strong_positive"
    contact.save()
    ContactIndicator.objects.create(
        contact=contact, indicator=LevelIndicator.objects.get(code="gives_information")
    )
    for _ in range(5):
        log(company, contact, ["strategic_agreement"])
    (annotated,) = annotate([Contact.objects.get(pk=contact.pk)], company=CompanySettings.current())
    assert annotated.level_explained.level == "supporter"
    assert annotated.level_explained.missing_for_next == (
        "score_at_least_80",
        "takes_part",
        "backs_key_decisions",
    )


def test_seven_elements_derive_frequency_and_length(company, login):
    contact = company.contact
    contact.first_contact_on = timezone.localdate() - timedelta(days=3 * 366)
    contact.element_value = 4
    contact.save()
    for days in (1, 10, 89, 120):
        log(company, contact, [], days_ago=days)
    elements = elements_of(Contact.objects.get(pk=contact.pk))
    assert elements.interactions_90d == 3
    assert elements.values["frequency"] == 3
    assert elements.values["length"] == 3
    assert elements.values["value"] == 4
    assert elements.values["favour"] is None

    client = login(company.owner)
    response = client.post(
        reverse("contacts:elements", args=[contact.pk]),
        {"element_favour": "5", "element_depth": "2", "element_value": "4", "version": ""},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.element_favour, contact.element_depth) == (5, 2)
    bad = client.post(reverse("contacts:elements", args=[contact.pk]), {"element_favour": "9"})
    assert bad.status_code == 400


def test_account_score_is_the_mean_over_key_contacts(company, login):
    account = company.account
    in_deal = company.contact
    marked = ContactFactory(account=account, marked_key=True)
    ContactFactory(account=account)  # not key: does not count
    log(company, in_deal, ["strategic_agreement"])  # 10
    log(company, marked, ["technical_exchange"])  # 2
    deal = deal_actions.create_deal(
        by=company.owner, data={"account": account, "name": "线网项目", "amount": "100000"}
    )
    DealPerson.objects.create(deal=deal, contact=in_deal, decision_role="approver")
    contacts = annotate(Contact.objects.filter(account=account), company=CompanySettings.current())
    assert account_score(contacts) == Decimal(6)
    page = login(company.owner).get(reverse("accounts:detail", args=[account.pk]))
    assert page.context["account_score"] == Decimal(6)
    assert page.context["key_count"] == 2

    deal.status = "lost"
    deal.save()
    contacts = annotate(Contact.objects.filter(account=account), company=CompanySettings.current())
    assert account_score(contacts) == Decimal(2)


def test_score_sheet_is_sortable_and_follows_visibility(company, login):
    other = ContactFactory(account=company.account, name="李四")
    log(company, other, ["reference_visit"])
    log(company, company.contact, ["office_visit"])
    foreign = ContactFactory(account=AccountFactory(owner=company.outsider), name="外人")
    url = reverse("accounts:scores")
    rows = list(login(company.owner).get(url).context["page"])
    assert [c.name for c in rows] == ["李四", "王建国"]
    rows = list(login(company.owner).get(url + "?sort=score").context["page"])
    assert [c.name for c in rows] == ["王建国", "李四"]
    manager_rows = list(login(company.manager).get(url).context["page"])
    assert foreign not in manager_rows and other in manager_rows
    outsider_rows = list(login(company.outsider).get(url).context["page"])
    assert [c.name for c in outsider_rows] == ["外人"]


def test_outsider_is_refused_on_every_new_page(company, login):
    client = login(company.outsider)
    contact, account = company.contact, company.account
    assert client.get(reverse("contacts:detail", args=[contact.pk])).status_code == 404
    assert (
        client.post(reverse("contacts:elements", args=[contact.pk]), {"element_value": "5"})
    ).status_code == 404
    assert client.get(reverse("accounts:scores") + f"?account={account.pk}").status_code == 404
    assert client.get(reverse("accounts:detail", args=[account.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.element_value is None


def test_score_sheet_query_count_does_not_grow_with_contacts(company, login):
    client = login(company.manager)
    url = reverse("accounts:scores")

    def fill(n):
        for _ in range(n):
            person = ContactFactory(account=company.account)
            log(company, person, ["technical_exchange", "office_visit"])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    fill(5)
    few = count()
    fill(15)
    assert count() == few


def test_activity_api_takes_relationship_action_codes(company, login):
    client = login(company.owner)
    response = client.post(
        "/api/v1/activities/",
        {
            "account": company.account.pk,
            "kind": "meeting",
            "subject": "参观样板点",
            "participants": [company.contact.pk],
            "relationship_actions": ["reference_visit"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["relationship_actions"] == ["reference_visit"]
    assert score_of(company.contact).score == Decimal(8)


def test_first_contact_in_the_future_does_not_break_the_page(company, login):
    contact = company.contact
    contact.first_contact_on = date.today() + timedelta(days=30)
    contact.save()
    assert (
        login(company.owner).get(reverse("contacts:detail", args=[contact.pk])).status_code == 200
    )
