"""Packaging glue: everything else lives in setup.cfg.

The files ``saisei build --offline`` and ``saisei serve`` need (``saisei.paths.SHIPPED``: the sample archive,
seed lists, prefecture coordinates, metadata.json, templates, the Datasette plugin) stay at the top of the
repository; this copies them into ``saisei/_bundled/`` of the built package, keeping their relative paths, so a
wheel installed anywhere finds them with importlib.resources. An editable install reads the checkout instead.
MANIFEST.in puts the same files into the sdist, so a wheel built from it carries them too.
"""

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def shipped() -> list[str]:
    """``saisei.paths.SHIPPED``, read from the source: setup.py cannot import saisei before its dependencies are in."""
    tree = ast.parse((HERE / "saisei" / "paths.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SHIPPED" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise RuntimeError("saisei/paths.py has no SHIPPED list")


class BuildWithBundle(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        bundle = Path(self.build_lib) / "saisei" / "_bundled"
        shutil.rmtree(bundle, ignore_errors=True)
        for relative in shipped():
            source, target = HERE / relative, bundle / relative
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


setup(cmdclass={"build_py": BuildWithBundle})
