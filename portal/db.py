"""The declarative base every model shares, common column types, and SQLite's connection set-up."""

from __future__ import annotations

import enum
import sqlite3
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import DateTime, Engine, Enum, MetaData, event, update
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, registry
from sqlalchemy.types import TypeDecorator

# Named constraints make migrations reproducible on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so naive values read from it are UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.db.utcnow() or attach a tzinfo")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base for every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """When a row was created and last changed."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- SQLite: make several processes share one file safely -------------------------------------
#
# WAL lets readers run while one process writes; the busy timeout makes a writer wait for the lock
# instead of failing; and write transactions begin IMMEDIATE so two writers never both start
# deferred, read, and then deadlock when upgrading to a write lock ("database is locked").
# GET and HEAD requests never change data, so they start ordinary read transactions: the request
# layer (``portal.request_scope``) says so through ``sqlite_deferred_begin``.

SQLITE_BUSY_TIMEOUT_MS = 15_000

# Set for a request that only reads, and in a thread that mostly reads while other threads write
# (such as a browser test driving a server in the same process): its transactions then begin
# DEFERRED and never hold the write lock while they only read.
sqlite_deferred_begin: ContextVar[bool] = ContextVar("sqlite_deferred_begin", default=False)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Take transaction control away from the driver so BEGIN is ours to issue.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection: Any) -> None:
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("BEGIN" if sqlite_deferred_begin.get() else "BEGIN IMMEDIATE")


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column stored as its values, checked by a named constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types into migrations as the plain SQLAlchemy types they store as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def claim_edit(entity: Any, seen_version: int) -> bool:
    """Raise ``entity.lock_version`` from ``seen_version`` by one, in one conditional UPDATE.

    Returns False, changing nothing, when someone saved the row since ``seen_version``: the
    caller shows a conflict instead of overwriting their work. Two racing saves cannot both win.
    """
    session = object_session(entity)
    if session is None:
        raise ValueError("claim_edit needs a row loaded in a session")
    model = type(entity)
    claimed = session.execute(
        update(model)
        .where(model.id == entity.id, model.lock_version == seen_version)
        .values(lock_version=seen_version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    entity.lock_version = seen_version + 1
    return True


class Positioned(Protocol):
    position: Any


def move_among(ordered: list[Any], thing: Positioned, direction: str) -> bool:
    """Swap ``thing`` with its neighbour above (``"up"``) or below in ``ordered`` (the rows in
    their current order) and number them 1, 2, 3 … again. False when it is already at that end."""
    index = ordered.index(thing)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.position = position
    return True
