"""Parsing and validating GraphQL documents, cached per schema with a bounded LRU.

Validation is the most expensive step of a small query (it walks the document once per rule),
and portals send the same few documents over and over: caching by the query text turns it into
a dict lookup. The cache belongs to one schema; a recomposed schema starts a new one. A
document that can be executed directly (``schema.direct_execution``) is compiled for it here,
once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    parse,
    specified_rules,
    validate,
)

from schema.direct_execution import DirectQuery
from schema.limits import MAX_TOKENS, depth_limit_rule

_PARSE_FAILED = {"code": "GRAPHQL_PARSE_FAILED"}
_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready to execute, or the errors that stop it."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    direct: DirectQuery | None = None


class DocumentCache:
    def __init__(self, schema: GraphQLSchema, maxsize: int = 1_000) -> None:
        self._schema = schema
        self._maxsize = maxsize
        self._rules: tuple[type[ASTValidationRule], ...] = (*specified_rules, depth_limit_rule())
        self._entries: OrderedDict[str, Prepared] = OrderedDict()

    def prepare(self, query: str) -> Prepared:
        prepared = self._entries.get(query)
        if prepared is not None:
            self._entries.move_to_end(query)
            return prepared
        prepared = self._prepare(query)
        self._entries[query] = prepared
        if len(self._entries) > self._maxsize:
            self._entries.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> Prepared:
        try:
            document = parse(query, max_tokens=MAX_TOKENS, no_location=False)
        except GraphQLError as error:
            code = "QUERY_TOO_LARGE" if "tokens" in error.message else _PARSE_FAILED["code"]
            return Prepared(None, (_with_code(error, code),))
        errors = validate(self._schema, document, self._rules)
        if errors:
            return Prepared(None, tuple(_with_code(e, _VALIDATION_FAILED) for e in errors))
        return Prepared(document, (), DirectQuery.compile(self._schema, document))


def _with_code(error: GraphQLError, code: str) -> GraphQLError:
    extensions = error.extensions or {}
    if "code" not in extensions:
        error.extensions = {**extensions, "code": code}
    return error
