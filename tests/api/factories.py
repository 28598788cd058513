"""Factories the API tests need beyond tests/factories.py."""

import factory
from factory.django import DjangoModelFactory

from directory import models as m
from tests.factories import RoleFactory


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = m.TargetGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name_et = factory.Sequence(lambda n: f"Sihtrühm {n}")


class JourneyFactory(DjangoModelFactory):
    class Meta:
        model = m.Journey
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"journey-{n}")
    title_et = factory.Sequence(lambda n: f"Teekond {n}")


class JourneyStepFactory(DjangoModelFactory):
    class Meta:
        model = m.JourneyStep

    journey = factory.SubFactory(JourneyFactory)
    position = factory.Sequence(lambda n: n + 1)
    actor = factory.SubFactory(RoleFactory)
    title_et = factory.Sequence(lambda n: f"Samm {n}")
