"""What every table writer gets besides the items: which run this is and where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BuildContext:
    run_id: str
    archive: str | None
    sample: bool
    #: the database being replaced (may not exist): writers that keep history read it, never write it
    previous_db: Path
    #: numbers a writer wants in the build summary, e.g. {"duplicate_rows": 1}
    notes: dict = field(default_factory=dict)
