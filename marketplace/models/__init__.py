"""SQLAlchemy models, one module per aggregate."""
from .geography import (
    Collectivity,
    CollectivityDepartement,
    CollectivityRegion,
    Departement,
    GeoImport,
    Region,
)
from .listing import Need, SkillOffer
from .matching import MatchingIndexState, Suggestion
from .notifications import Notification, NotificationPreference
from .outbox import OutboxEmail, TaskIntent
from .user import RoleAssignment, User

__all__ = [
    "Collectivity",
    "CollectivityDepartement",
    "CollectivityRegion",
    "Departement",
    "GeoImport",
    "Need",
    "Region",
    "RoleAssignment",
    "SkillOffer",
    "User",
    "MatchingIndexState",
    "Notification",
    "NotificationPreference",
    "OutboxEmail",
    "Suggestion",
    "TaskIntent",
]
