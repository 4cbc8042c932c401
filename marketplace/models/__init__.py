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
]
