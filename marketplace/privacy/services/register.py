"""The register of processing activities (GDPR art. 30), read from the versioned register.toml.

Retention periods in the file are placeholders filled from the configuration through
legal.services.legal_details, so that the register and the public privacy page show the same figures.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from marketplace.legal.services import legal_details

REGISTER_FILE = Path(__file__).resolve().parent.parent / "register.toml"
FIELDS = ("purpose", "legal_basis", "data", "people", "recipients", "retention", "security")


@dataclass(frozen=True)
class Processing:
    id: str
    name: str
    purpose: str
    legal_basis: str
    data: str
    people: str
    recipients: str
    retention: str
    security: str


@dataclass(frozen=True)
class Register:
    version: str
    processings: tuple[Processing, ...]


def figures(config: Mapping) -> dict:
    """The numbers the register's placeholders name."""
    retention = legal_details(config).retention
    return {**retention, "warning_days": int(config.get("PRIVACY_INACTIVE_WARNING_DAYS") or 30),
            "export_hours": int(config.get("DATA_EXPORT_MAX_AGE") or 86400) // 3600}


def load_register(config: Mapping, path: Path = REGISTER_FILE) -> Register:
    """The register with this instance's retention periods; raises ValueError on a malformed file."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    values = figures(config)
    processings = []
    for entry in raw.get("processing", []):
        missing = [name for name in ("id", "name", *FIELDS) if not str(entry.get(name) or "").strip()]
        if missing:
            raise ValueError(f"register entry {entry.get('id')!r} lacks {', '.join(missing)}")
        processings.append(Processing(**{key: str(entry[key]).format(**values)
                                         for key in ("id", "name", *FIELDS)}))
    return Register(version=str(raw.get("version", "")), processings=tuple(processings))
