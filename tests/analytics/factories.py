"""Factories the analytics tests need beyond tests/factories.py."""

import factory
from factory.django import DjangoModelFactory

from directory import models as m


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = m.TargetGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name_et = factory.Sequence(lambda n: f"Sihtrühm {n}")
