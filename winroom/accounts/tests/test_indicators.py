"""The company's editable checklist of iron-supporter indicators (METHODOLOGY §1.3)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from winroom.accounts import actions
from winroom.accounts.models import (
    Contact,
    ContactIndicator,
    LevelIndicator,
    RelationshipLevelChange,
)
from winroom.accounts.tests.test_relationships import log
from winroom.org.models import CompanySettings

DEFAULT_CODES = ["gives_information", "takes_part", "backs_key_decisions"]


def meet(contact, *codes, by=None):
    actions.set_indicators(contact, by=by, indicators=LevelIndicator.objects.filter(code__in=codes))
    actions.update_contact(contact, by=by or contact.account.owner, data={}, expected_version=None)


@pytest.fixture
def iron(company):
    """A strong supporter with a score of 100 and the whole default checklist met."""
    contact = company.contact
    contact.relationship_status = "strong_positive"
    contact.save()
    for _ in range(9):
        log(company, contact, ["strategic_agreement"])
    meet(contact, *DEFAULT_CODES, by=company.owner)
    contact.refresh_from_db()
    assert contact.relationship_level == "iron_supporter"
    return contact


@pytest.mark.django_db
def test_the_checklist_is_seeded_with_the_methodology_defaults():
    checklist = LevelIndicator.objects.filter(active=True).order_by("order")
    assert [i.code for i in checklist] == DEFAULT_CODES
    assert all(i.name for i in checklist)


@pytest.mark.django_db
def test_adding_an_indicator_demotes_iron_supporters_lacking_it(iron):
    before = RelationshipLevelChange.objects.filter(contact=iron).count()
    added = LevelIndicator.objects.create(code="exclusive_access", name="独家沟通渠道", order=40)
    iron.refresh_from_db()
    assert iron.relationship_level == "supporter"
    change = RelationshipLevelChange.objects.filter(contact=iron).first()
    assert (change.old, change.new) == ("iron_supporter", "supporter")
    assert RelationshipLevelChange.objects.filter(contact=iron).count() == before + 1
    # met → back at the top; the indicator switched off → still at the top
    meet(iron, *DEFAULT_CODES, "exclusive_access")
    iron.refresh_from_db()
    assert iron.relationship_level == "iron_supporter"
    added.active = False
    added.save()
    meet(iron, *DEFAULT_CODES)
    iron.refresh_from_db()
    assert iron.relationship_level == "iron_supporter"
    # a default indicator removed from the checklist: nobody needs it any more
    LevelIndicator.objects.filter(code="takes_part").get().delete()
    assert Contact.objects.get(pk=iron.pk).relationship_level == "iron_supporter"


@pytest.mark.django_db
def test_contact_form_shows_and_saves_the_checklist(company, login):
    contact = company.contact
    client = login(company.owner)
    url = reverse("contacts:edit", args=[contact.pk])
    page = client.get(url)
    html = page.content.decode()
    for indicator in LevelIndicator.objects.all():
        assert indicator.name in html
    chosen = LevelIndicator.objects.filter(code__in=["gives_information", "takes_part"])
    response = client.post(
        url,
        {
            "name": contact.name,
            "relationship_status": "neutral",
            "level": "staff",
            "indicators": [i.pk for i in chosen],
            "version": contact.version,
        },
    )
    assert response.status_code == 302
    marks = ContactIndicator.objects.filter(contact=contact)
    assert {m.indicator.code for m in marks} == {"gives_information", "takes_part"}
    assert {m.marked_by for m in marks} == {company.owner}


@pytest.mark.django_db
def test_an_inactive_indicator_met_survives_an_edit(company, login):
    contact = company.contact
    retired = LevelIndicator.objects.create(code="old_rule", name="旧指标", active=False)
    ContactIndicator.objects.create(contact=contact, indicator=retired)
    response = login(company.owner).post(
        reverse("contacts:edit", args=[contact.pk]),
        {"name": contact.name, "relationship_status": "neutral", "version": contact.version},
    )
    assert response.status_code == 302
    assert list(contact.indicators.all()) == [retired]


@pytest.mark.django_db
def test_contact_page_names_the_missing_indicators_from_the_checklist(iron, company, login):
    LevelIndicator.objects.filter(code="backs_key_decisions").update(name="关键时刻力挺我方")
    ContactIndicator.objects.filter(contact=iron, indicator__code="backs_key_decisions").delete()
    actions.update_contact(iron, by=company.owner, data={}, expected_version=None)
    page = login(company.owner).get(reverse("contacts:detail", args=[iron.pk]))
    assert page.context["missing"] == ["关键时刻力挺我方"]
    assert ("关键时刻力挺我方", False) in page.context["indicators"]
    assert 'data-testid="missing-for-next"' in page.content.decode()


@pytest.mark.django_db
def test_the_checklist_page(company, login, iron):
    page = login(company.owner).get(reverse("accounts:indicators"))
    assert page.status_code == 200
    rows = {i.code: i.met_by for i in page.context["indicators"]}
    assert rows == dict.fromkeys(DEFAULT_CODES, 1)
    # an outsider counts only the people they may see
    rows = {
        i.code: i.met_by
        for i in login(company.outsider).get(reverse("accounts:indicators")).context["indicators"]
    }
    assert rows == dict.fromkeys(DEFAULT_CODES, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_the_old_booleans_into_records():
    executor = MigrationExecutor(connection)
    before = [("accounts", "0006_political_map_and_indicators")]
    after = [("accounts", "0008_drop_indicator_booleans")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Account = old.get_model("accounts", "Account")
    Contact_ = old.get_model("accounts", "Contact")
    account = Account.objects.create(name="迁移测试客户", name_key="迁移测试客户")
    both = Contact_.objects.create(
        account=account, name="甲", gives_information=True, backs_key_decisions=True
    )
    none = Contact_.objects.create(account=account, name="乙")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Mark = new.get_model("accounts", "ContactIndicator")
    assert set(
        Mark.objects.filter(contact_id=both.pk).values_list("indicator__code", flat=True)
    ) == {
        "gives_information",
        "backs_key_decisions",
    }
    assert not Mark.objects.filter(contact_id=none.pk).exists()
    # and back: the booleans come back from the records
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    restored = old.get_model("accounts", "Contact").objects.get(pk=both.pk)
    assert (restored.gives_information, restored.takes_part, restored.backs_key_decisions) == (
        True,
        False,
        True,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_level_uses_the_active_checklist(company):
    from winroom.accounts.relationships import level_rule_of

    LevelIndicator.objects.filter(code="takes_part").update(active=False)
    rule = level_rule_of(CompanySettings.current())
    assert rule.iron_indicators == ("gives_information", "backs_key_decisions")
