"""Collectivities and the official geography they belong to (COG, versioned by vintage)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db
from marketplace.models.base import TimestampMixin, utcnow


class Region(db.Model):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    vintage: Mapped[str] = mapped_column(String(20), nullable=False)


class Departement(db.Model):
    __tablename__ = "departements"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)  # '01', '2A', '971'
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), nullable=False, index=True)
    chef_lieu: Mapped[str | None] = mapped_column(String(5))  # INSEE code of the main town
    vintage: Mapped[str] = mapped_column(String(20), nullable=False)

    region: Mapped[Region] = relationship()


class CollectivityDepartement(db.Model):
    """One row per département a collectivity lies in (an EPCI may span several)."""

    __tablename__ = "collectivity_departements"

    collectivity_id: Mapped[int] = mapped_column(
        ForeignKey("collectivities.id", ondelete="CASCADE"), primary_key=True
    )
    departement_code: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)


class CollectivityRegion(db.Model):
    """One row per région a collectivity lies in."""

    __tablename__ = "collectivity_regions"

    collectivity_id: Mapped[int] = mapped_column(
        ForeignKey("collectivities.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)


class CollectivityPostalCode(db.Model):
    """One row per postal code of a commune: a portable, indexed lookup (JSON is not, across engines)."""

    __tablename__ = "collectivity_postal_codes"

    collectivity_id: Mapped[int] = mapped_column(
        ForeignKey("collectivities.id", ondelete="CASCADE"), primary_key=True
    )
    postal_code: Mapped[str] = mapped_column(String(5), primary_key=True, index=True)


class Collectivity(TimestampMixin, db.Model):
    """A local authority or public grouping, identified by its official codes."""

    __tablename__ = "collectivities"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    # The official code for the kind: commune INSEE code, EPCI SIREN, département or région code.
    code: Mapped[str] = mapped_column(String(12), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    search_name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    nature: Mapped[str | None] = mapped_column(String(10))  # CC, CA, CU, METRO, EPT...
    insee_code: Mapped[str | None] = mapped_column(String(5), index=True)
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    postal_codes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    population: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    coordinates_source: Mapped[str | None] = mapped_column(String(40))
    epci_id: Mapped[int | None] = mapped_column(ForeignKey("collectivities.id"), index=True)
    vintage: Mapped[str | None] = mapped_column(String(20))

    epci: Mapped[Collectivity | None] = relationship(remote_side=[id])
    departement_links: Mapped[list[CollectivityDepartement]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    region_links: Mapped[list[CollectivityRegion]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def departement_codes(self) -> list[str]:
        return sorted(link.departement_code for link in self.departement_links)

    @property
    def region_codes(self) -> list[str]:
        return sorted(link.region_code for link in self.region_links)

    def set_territory(self, departement_codes, region_codes) -> None:
        """Replace the départements and régions this collectivity lies in."""
        self.departement_links = [
            CollectivityDepartement(departement_code=c) for c in sorted(set(departement_codes))
        ]
        self.region_links = [CollectivityRegion(region_code=c) for c in sorted(set(region_codes))]

    def __repr__(self) -> str:
        return f"<Collectivity {self.kind} {self.code} {self.name!r}>"


class GeoImport(db.Model):
    """One import of the official geography: which vintage, from which source, how many rows."""

    __tablename__ = "geo_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    vintage: Mapped[str] = mapped_column(String(20), nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False)
    counts: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
