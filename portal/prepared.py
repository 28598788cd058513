"""values() queries whose SQL Django builds once per process instead of on every request.

The municipality price list is one query of ~40 columns across a FilteredRelation and a dozen
joins; Django spent longer building its SQL than the database spent running it. A PreparedQuery
builds the queryset once per database connection and language with stand-in arguments, keeps
the SQL, and on each call runs it with the real arguments put where the stand-ins were, turning
the columns into Python values with Django's own converters."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet
from django.utils.translation import get_language


@dataclass
class _Compiled:
    connection: object
    compiler: object
    sql: str
    params: list
    slots: dict[int, Callable]  # parameter position → how to read it from the call's arguments
    names: list[str]
    converters: dict


def _stand_ins(arguments: dict, variant: int) -> dict:
    """Values no real argument has, different for each variant and each argument."""
    stand_ins = {}
    for number, (name, value) in enumerate(sorted(arguments.items())):
        if isinstance(value, dt.date):
            stand_ins[name] = dt.date(1000 + variant, 1, 1 + number)
        elif isinstance(value, int):
            stand_ins[name] = -900_000_000 - 1000 * variant - number
        else:
            raise TypeError(f"{name}: only dates and integers can be prepared arguments")
    return stand_ins


class PreparedQuery:
    """`build(**arguments)` returns a values() queryset; calling the PreparedQuery with the same
    keyword arguments (dates and integers) returns its rows as dicts."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._model = None
        self._local = threading.local()  # connections are per thread, and so are compilers

    def __call__(self, **arguments) -> list[dict]:
        cache = self._local.__dict__.setdefault("compiled", {})
        alias = self._alias(arguments)
        key = (alias, get_language())
        compiled = cache.get(key)
        if compiled is None or compiled.connection is not connections[alias]:
            compiled = cache[key] = self._compile(alias, arguments)
        if compiled is None:  # the SQL depends on the values: build it every time
            return list(self.build(**arguments))
        params = list(compiled.params)
        for position, read in compiled.slots.items():
            params[position] = read(arguments)
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _alias(self, arguments: dict) -> str:
        # As QuerySet.db reads it (the replica router), without building the queryset.
        if self._model is None:
            self._model = self.build(**_stand_ins(arguments, 0)).model
        return router.db_for_read(self._model) or DEFAULT_DB_ALIAS

    def _compile(self, alias: str, arguments: dict) -> _Compiled | None:
        connection = connections[alias]
        first, second = _stand_ins(arguments, 1), _stand_ins(arguments, 2)
        queryset = self.build(**first)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = self.build(**second).query.get_compiler(using=alias).as_sql()
        if sql != other_sql or len(params) != len(other_params):
            return None
        adapt = connection.ops.adapt_datefield_value
        slots = {}
        for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
            if value == other:
                continue
            for name, stand_in in first.items():
                if value == stand_in:
                    slots[position] = lambda arguments, name=name: arguments[name]
                elif isinstance(stand_in, dt.date) and value == adapt(stand_in):
                    slots[position] = lambda arguments, name=name: adapt(arguments[name])
            if position not in slots:
                return None
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if len(names) != len(fields):
            return None
        return _Compiled(
            connection, compiler, sql, list(params), slots, names, compiler.get_converters(fields)
        )
