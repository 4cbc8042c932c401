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
from .pairing import AgentCapacity, AuditEntry, Consent, ConventionVersion, DayLog, Engagement, ExperienceReport, Feedback, Pairing  # noqa: F401,E501
from .practices import Collection, CollectionItem, Follow, PracticeAttachment, PracticeComment, PracticeReuse, PracticeRevision, PracticeSheet  # noqa: E501
from .user import RoleAssignment, User

__all__ = [
    "Collection", "CollectionItem", "Follow", "PracticeAttachment", "PracticeComment", "PracticeReuse", "PracticeRevision", "PracticeSheet",  # noqa: E501
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
