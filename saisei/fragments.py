"""Repeated parts of a page (the results page's cards) rendered by a synchronous copy of Datasette's Jinja
environment.

Datasette renders its templates asynchronously (``enable_async``), so every ``{{ }}``, attribute and loop step of
a template passes through an awaitable, and an ``{% include %}`` copies the page's whole context: on 100,000
clinics the 50 cards of a results page took 7 of its 10 ms in-process (issue 14). A card needs no awaiting: its
data is read before rendering. The fragment's template stays a template (same loader, filters and autoescaping),
only rendered by an overlay of the environment that runs it as plain Python; its output is the same text.
The overlay does not look for edited templates on every include (``auto_reload``): a server process renders one
build with the templates it started with, whose times the build's ETag already names (saisei.caching).
"""

from __future__ import annotations

from markupsafe import Markup

#: templates the synchronous environment keeps compiled (its own cache: a template compiled for the asynchronous
#: environment cannot be run synchronously, and the two would otherwise share one cache under the same names)
CACHE_SIZE = 50


class Fragments:
    """Templates of ``env``'s loader rendered synchronously, into markup the page's template writes as it is."""

    def __init__(self, env):
        self.env = env.overlay(enable_async=False, cache_size=CACHE_SIZE, auto_reload=False)

    def render(self, name: str, **context) -> Markup:
        return Markup(self.env.get_template(name).render(**context))
