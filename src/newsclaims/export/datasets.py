"""Which rows and columns each export dataset holds: typed queries over the analyst views.

The view columns and their types come from ``storage.views`` (aware UTC times,
booleans); base tables from ``models``. Every filter value is a bound parameter.
The column order of each dataset is documented in docs/schema.md; formatting the
cells is ``export.csv``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, MetaData, Select, Table, and_, exists, func, select

from newsclaims import models
from newsclaims.dates import parse_datetime
from newsclaims.export.names import DATASETS
from newsclaims.storage.views import view_tables

_VIEWS = view_tables(MetaData())
ARTICLE_OVERVIEW = _VIEWS["article_overview"]
QUOTE_DETAILS = _VIEWS["quote_details"]
CLAIM_SUMMARY = _VIEWS["claim_summary"]
_TABLES = models.Base.metadata.tables
PARAGRAPHS = _TABLES["paragraphs"]
CLAIM_MENTIONS = _TABLES["claim_mentions"]
SPEAKERS = _TABLES["speakers"]
SPEAKER_ROLES = _TABLES["speaker_roles"]

AnySelect = Select[*tuple[Any, ...]]


class ExportError(ValueError):
    """A filter value that cannot be used (the message says which and why)."""


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    speaker: str | None = None
    topic: str | None = None


def parse_time(value: str, flag: str) -> datetime:
    """ISO 8601 date or datetime (naive values are UTC), as every other date we read."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise ExportError(f"{flag}: {value!r} is not an ISO 8601 date or time")
    return parsed


def _article_filters(filters: Filters, table: Table) -> list[Any]:
    conditions: list[Any] = []
    when = table.c.published
    if filters.since:
        conditions.append(when >= filters.since)
    if filters.until:
        conditions.append(when < filters.until)
    if filters.source:
        conditions.append(_name_match(table.c.outlet, filters.source))
    if filters.topic and "topic" in table.c:
        conditions.append(table.c.topic == filters.topic)
    return conditions


def _name_match(column: Any, name: str) -> Any:
    """Names are matched in any case: `--source VOA` finds voa, `--speaker "john kerry"` Kerry."""
    return func.lower(column) == name.lower()


def _query(dataset: str, filters: Filters) -> AnySelect:
    """The SELECT for one dataset, every filter value a bound parameter."""
    query: AnySelect
    if dataset == "articles":
        t = ARTICLE_OVERVIEW
        query = select(
            t.c.article_id, t.c.url, t.c.title, t.c.outlet, t.c.outlet_name, t.c.byline,
            t.c.published, t.c.fetched, t.c.language, t.c.topic, t.c.topic_score,
            t.c.paragraphs, t.c.quotes, t.c.syndicated_from_article_id, t.c.syndicated_from_url,
        ).where(*_article_filters(filters, t))  # fmt: skip
        if filters.speaker:
            q = QUOTE_DETAILS
            query = query.where(
                exists().where(
                    q.c.article_id == t.c.article_id, _name_match(q.c.speaker, filters.speaker)
                )
            )
        return query.order_by(t.c.article_id)
    if dataset == "paragraphs":
        a, p = ARTICLE_OVERVIEW, PARAGRAPHS
        query = (
            select(
                p.c.id.label("paragraph_id"),
                p.c.article_id,
                a.c.url.label("article_url"),
                a.c.outlet,
                a.c.published,
                p.c.position,
                p.c.text,
            )
            .join_from(p, a, a.c.article_id == p.c.article_id)
            .where(*_article_filters(filters, a))
        )
        if filters.speaker:
            q = QUOTE_DETAILS
            query = query.where(
                exists().where(
                    q.c.article_id == p.c.article_id,
                    q.c.paragraph == p.c.position,
                    _name_match(q.c.speaker, filters.speaker),
                )
            )
        return query.order_by(p.c.article_id, p.c.position)
    if dataset == "quotes":
        q, m = QUOTE_DETAILS, CLAIM_MENTIONS
        first_claim = (
            select(m.c.claim_id)
            .where(m.c.quote_id == q.c.quote_id)
            .order_by(m.c.sentence_start)
            .limit(1)
            .scalar_subquery()
        )
        query = select(
            q.c.quote_id, q.c.article_url, q.c.outlet, q.c.published, q.c.speaker, q.c.kind,
            q.c.quote, first_claim.label("claim_id"), q.c.speaker_mention, q.c.role, q.c.cue,
            q.c.paragraph, q.c.start_offset, q.c.end_offset, q.c.inferred, q.c.article_title,
            q.c.speaker_type, q.c.resolution,
        ).where(*_article_filters(filters, q))  # fmt: skip
        if filters.speaker:
            query = query.where(_name_match(q.c.speaker, filters.speaker))
        return query.order_by(q.c.quote_id)
    if dataset == "claims":
        c = CLAIM_SUMMARY
        conditions = []
        if filters.since:
            conditions.append(c.c.last_seen >= filters.since)
        if filters.until:
            conditions.append(c.c.first_seen < filters.until)
        if filters.speaker:
            conditions.append(_name_match(c.c.speaker, filters.speaker))
        if filters.source or filters.topic:
            q, m = QUOTE_DETAILS, CLAIM_MENTIONS
            inner = [m.c.claim_id == c.c.claim_id]
            if filters.source:
                inner.append(_name_match(q.c.outlet, filters.source))
            if filters.topic:
                inner.append(q.c.topic == filters.topic)
            conditions.append(exists().where(m.c.quote_id == q.c.quote_id, and_(*inner)))
        return (
            select(
                c.c.claim_id,
                c.c.speaker,
                c.c.text,
                c.c.outlets,
                c.c.mentions,
                c.c.first_seen,
                c.c.last_seen,
                c.c.syndicated_mentions,
                c.c.outlet_names,
                c.c.speaker_type,
            )
            .where(*conditions)
            .order_by(c.c.claim_id)
        )
    if dataset == "speakers":
        s, r, q = SPEAKERS, SPEAKER_ROLES, QUOTE_DETAILS
        roles = select(func.count()).where(r.c.speaker_id == s.c.id).scalar_subquery()
        quote_filter = [q.c.speaker_id == s.c.id, *_article_filters(filters, q)]
        quotes = select(func.count()).where(*quote_filter).scalar_subquery()
        outlets = select(func.count(q.c.outlet.distinct())).where(*quote_filter).scalar_subquery()
        query = select(
            s.c.id.label("speaker_id"), s.c.name.label("speaker"), quotes.label("quotes"),
            outlets.label("outlets"), roles.label("roles"), s.c.speaker_type,
        )  # fmt: skip
        if filters.speaker:
            query = query.where(_name_match(s.c.name, filters.speaker))
        if filters.since or filters.until or filters.source or filters.topic:
            query = query.where(exists().where(*quote_filter))
        return query.order_by(s.c.id)
    raise ExportError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")


def columns(dataset: str) -> list[str]:
    """The dataset's column names, in export order."""
    return [c.name for c in _query(dataset, Filters()).selected_columns]


def rows(engine: Engine, dataset: str, filters: Filters, batch: int = 2000) -> Iterator[tuple]:
    """Stream result rows with a server-side cursor (PostgreSQL) / incremental fetch (SQLite)."""
    query = _query(dataset, filters)
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=batch).execute(query)
        for partition in result.partitions():
            yield from partition


def start_rows(engine: Engine, dataset: str, filters: Filters) -> tuple[list[str], Iterator[tuple]]:
    """The dataset's columns and rows, with the query already run and its first row
    fetched: a database error is raised here, before the caller has written anything."""
    stream = rows(engine, dataset, filters)
    first = next(stream, None)
    return columns(dataset), stream if first is None else itertools.chain([first], stream)
