"""Factories for the action plan's tests."""

import datetime as dt

import factory

from actionplan.models import Action, LeadRole, Milestone, Plan, Priority


class LeadRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadRole
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LR{n}")
    title = factory.LazyAttribute(lambda o: f"Lead role {o.code}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"School improvement plan {n}")
    period = "2016/17"
    published_on = dt.date(2016, 6, 3)
    is_current = True


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority title {n}")
    ofsted_areas = "1"
    success_looks_like = "All schools good or better\nNo schools causing concern"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    priority = factory.SubFactory(PriorityFactory)
    number = factory.LazyAttributeSequence(lambda o, n: f"{o.priority.number}.{n + 1}")
    description = factory.Sequence(lambda n: f"Action description {n}")
    who = "HSI"
    when = "By Sept 2016"

    @factory.post_generation
    def leads(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.leads.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = None
