"""Factories shared by every app's tests: users by role and the schools register."""

import datetime as dt

import factory

from pep_portal.accounts.models import Role, User
from schools.models import Category, LocalAuthority, OfstedInspection, Phase, School, Trust


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: 200 + n)
    name = factory.Sequence(lambda n: f"Authority {n}")
    region = "South East"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    uid = factory.Sequence(lambda n: 10000 + n)
    name = factory.Sequence(lambda n: f"Learning Trust {n}")
    trust_type = Trust.TrustType.MAT


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 100000 + n)
    la = factory.SubFactory(LocalAuthorityFactory, code=851, name="Portsmouth", in_partnership=True)
    laestab = factory.LazyAttributeSequence(lambda o, n: f"{o.la.code:03d}{2000 + n % 8000:04d}")
    name = factory.Sequence(lambda n: f"Harbour Primary School {n}")
    phase = Phase.PRIMARY
    category = Category.LA_MAINTAINED
    establishment_type = "Community school"
    status = School.Status.OPEN
    statutory_low_age = 4
    statutory_high_age = 11
    pupils_on_roll = 420


class OfstedInspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfstedInspection

    school = factory.SubFactory(SchoolFactory)
    inspection_date = factory.Sequence(lambda n: dt.date(2019, 1, 1) + dt.timedelta(days=n))
    framework = OfstedInspection.Framework.GRADED
    overall_effectiveness = 2


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"User{n}")
    role = Role.BOARD_MEMBER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "correct-horse-battery")
        if create:
            obj.save(update_fields=["password"])

    class Params:
        officer = factory.Trait(role=Role.OFFICER, is_staff=True)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)
        board = factory.Trait(role=Role.BOARD_MEMBER)
