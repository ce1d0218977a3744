"""Where things live in a checkout. saisei runs from its checkout (``pip install -e``), like a data project."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEFAULT_DB = DATA / "saisei.db"
BUNDLED_ARCHIVE = DATA / "sample.wacz"
SAMPLE_SOURCES = DATA / "sample"
METADATA = ROOT / "metadata.json"
