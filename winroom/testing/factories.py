"""factory_boy factories for tests (and nothing else)."""

import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from winroom.accounts.models import Account, AccountMember, Contact, TeamRole
from winroom.activities.models import Activity, ActivityKind
from winroom.org.models import Role, Team, User

PASSWORD = "test-pass-2026"


@functools.cache
def password_hash() -> str:
    """Hashed once per run: the real hasher is deliberately slow (~0.3 s a call)."""
    return make_password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"团队{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.REP
    password = factory.LazyFunction(password_hash)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    region = "上海"
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def account_manager(obj, create, extracted, **kwargs):
        if create and obj.owner_id:
            AccountMember.objects.get_or_create(
                account=obj, user_id=obj.owner_id, defaults={"role": TeamRole.ACCOUNT_MANAGER}
            )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    title = "经理"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    kind = ActivityKind.MEETING
    subject = factory.Sequence(lambda n: f"拜访{n}")
    account = factory.SubFactory(AccountFactory)
    owner = factory.LazyAttribute(lambda o: o.account.owner)
    occurred_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def participants(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participants.set(extracted)
