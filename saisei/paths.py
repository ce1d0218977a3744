"""Where things live, in a checkout and in an installed wheel.

Two kinds of file, found in two ways:

- **Shipped files** (the bundled sample archive, seed lists, prefecture coordinates, ``metadata.json``, the
  templates and the Datasette plugin) stay at the top of the repository, where the design card puts them. In a
  checkout (``pip install -e .``, ``make run``) they are read from there; a wheel carries copies of them in
  ``saisei/_bundled/`` (``setup.py`` copies them at build time), found with :mod:`importlib.resources`. Both
  keep the checkout's relative layout, so every path below is ``BUNDLE / <its path in the repository>``.
- **Files saisei writes** (the database, ``runs/``, the ledger, the build lock) go beside the database. The
  default database is ``data/saisei.db`` in a checkout, as before, and in the user's data folder otherwise
  (``platformdirs``: ``~/.local/share/saisei/saisei.db`` on Linux, ``XDG_DATA_HOME`` respected): never into
  site-packages, which may be read-only and is replaced on upgrade.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import platformdirs

#: the folder inside the installed package that holds the shipped files (see setup.py)
BUNDLED_PACKAGE_DIR = "_bundled"
#: what a wheel must carry for ``saisei build --offline`` and ``saisei serve``: repository paths, files or folders
SHIPPED = (
    "metadata.json",
    "templates",
    "plugins/saisei_datasette.py",
    "data/sample.wacz",
    "data/seeds",
    "data/geo/prefectures.csv",
)


def checkout_root() -> Path | None:
    """The repository this module was imported from, or None when it runs from an installed wheel."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "setup.cfg").is_file() and (root / "metadata.json").is_file() else None


def bundle_root() -> Path:
    """Where the shipped files are: the checkout, else the installed package's ``_bundled`` folder."""
    root = checkout_root()
    if root is not None:
        return root
    bundled = importlib.resources.files("saisei") / BUNDLED_PACKAGE_DIR
    if not isinstance(bundled, Path) or not bundled.is_dir():
        # Datasette needs real folders for --template-dir and --plugins-dir: a zipped install cannot serve
        raise RuntimeError(f"saisei's shipped files are missing ({bundled}): reinstall saisei from its wheel")
    return bundled


def user_data_dir() -> Path:
    return platformdirs.user_data_path("saisei", appauthor=False)


ROOT = checkout_root()
IN_CHECKOUT = ROOT is not None
BUNDLE = bundle_root()
DATA = BUNDLE / "data"
BUNDLED_ARCHIVE = DATA / "sample.wacz"
SEEDS = DATA / "seeds"
PREFECTURES_CSV = DATA / "geo" / "prefectures.csv"
METADATA = BUNDLE / "metadata.json"
TEMPLATES_DIR = BUNDLE / "templates"
PLUGINS_DIR = BUNDLE / "plugins"
#: the pages the bundled archive is packed from: in a checkout only (``saisei archive pack-sample``)
SAMPLE_SOURCES = DATA / "sample"
#: the default database: data/ in a checkout, the user's data folder for an installed saisei
DEFAULT_DB = (DATA if IN_CHECKOUT else user_data_dir()) / "saisei.db"
