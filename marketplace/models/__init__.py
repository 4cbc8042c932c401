"""SQLAlchemy models, one module per aggregate."""
from marketplace.models.community import Community, CommunityMeeting, CommunityMember, CommunityPost, CommunityReport, CommunityResource, CommunityThread  # noqa: E501
from marketplace.models.api_token import ApiToken
from marketplace.models.essaimage import ReadinessItem
from marketplace.models.embedding import TextEmbedding
from marketplace.models.calls import Accompaniment, AccompanimentStep, Call, CallConflict, CallJuror, CallProject, CallScore  # noqa: E501
from marketplace.models.geography import (
    Collectivity,
    CollectivityDepartement,
    CollectivityRegion,
    Departement,
    GeoImport,
    Region,
)
from marketplace.models.identity import ExternalIdentity, LoginThrottle, UserSession
from marketplace.models.learning import DecisionLabel, LexiconProposal, OffTopicPair, RerankerModel
from marketplace.models.listing import Need, SkillOffer
from marketplace.models.matching import (
    MatchingIndexChange, MatchingIndexSnapshot, MatchingIndexSnapshotChunk, MatchingIndexState, Suggestion,
)
from marketplace.models.matching_quality import MatchingOverlapSample
from marketplace.models.messaging import Conversation, ConversationMessage, MessageAttachment, MessageReport, UserBlock
from marketplace.models.notifications import Notification, NotificationPreference
from marketplace.models.outbox import OutboxEmail, TaskIntent
from marketplace.models.pairing import AgentCapacity, AuditEntry, Consent, DayBudgetChange, DayLog, Engagement, ExperienceReport, Feedback, Pairing, PairingMessage  # noqa: F401,E501
from marketplace.models.pairing_documents import ConventionVersion, EngagementParty, SignedCopy  # noqa: F401
from marketplace.models.practices import Collection, CollectionItem, Follow, PracticeAttachment, PracticeComment, PracticeReuse, PracticeRevision, PracticeSheet  # noqa: E501
from marketplace.models.privacy import AccountDeletion, DataExport, RetentionNotice
from marketplace.models.user import RoleAssignment, User

__all__ = [
    "Community", "CommunityMeeting", "CommunityMember", "CommunityPost", "CommunityReport", "CommunityResource", "CommunityThread",  # noqa: E501
    "ApiToken",
    "ReadinessItem",
    "Conversation", "ConversationMessage", "MessageAttachment", "MessageReport", "UserBlock",
    "TextEmbedding",
    "AccountDeletion", "DataExport", "RetentionNotice",
    "Accompaniment", "AccompanimentStep", "Call", "CallConflict", "CallJuror", "CallProject", "CallScore",
    "Collection", "CollectionItem", "Follow", "PracticeAttachment", "PracticeComment", "PracticeReuse", "PracticeRevision", "PracticeSheet",  # noqa: E501
    "Collectivity",
    "CollectivityDepartement",
    "CollectivityRegion",
    "Departement",
    "ExternalIdentity",
    "LoginThrottle",
    "UserSession",
    "GeoImport",
    "DecisionLabel", "LexiconProposal", "OffTopicPair", "RerankerModel",
    "Need",
    "Region",
    "RoleAssignment",
    "SkillOffer",
    "User",
    "MatchingIndexChange", "MatchingIndexSnapshot", "MatchingIndexSnapshotChunk",
    "MatchingIndexState", "MatchingOverlapSample",
    "Notification",
    "NotificationPreference",
    "OutboxEmail",
    "Suggestion",
    "TaskIntent",
]
