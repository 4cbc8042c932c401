"""The audit log: every state change of a pairing and what hangs from it."""
from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import AuditEntry


def record(obj, actor, from_state: str, to_state: str, pairing_id: int | None = None, **detail) -> AuditEntry:
    """Write one state change in the current transaction (actor None means the system)."""
    db.session.flush()  # a new object gets its id
    entry = AuditEntry(object_type=type(obj).__name__, object_id=obj.id,
                       pairing_id=pairing_id if pairing_id is not None else obj.id,
                       actor_id=getattr(actor, "id", None), from_state=from_state or "",
                       to_state=to_state, detail={k: str(v) for k, v in detail.items()})
    db.session.add(entry)
    return entry


def for_pairing(pairing_id: int) -> list[AuditEntry]:
    """The pairing's log, oldest first."""
    return db.session.scalars(select(AuditEntry).where(AuditEntry.pairing_id == pairing_id)
                              .order_by(AuditEntry.at, AuditEntry.id)).all()
