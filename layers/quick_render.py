"""Folium maps rendered without compiling their own output: an element's text becomes a template
only when it is rendered.

Rendering a folium element wraps the script it produced in ``branca.element.Element(text)``,
which compiles that text as a Jinja template at once. The text is rendered again only when a
whole page is written (an offline map, a test); on the dashboard's reruns streamlit-folium
takes each layer's script another way, so the compiled templates were never used, and
compiling the layers' GeoJSON text took about a fifth of every rerun. Here that compile waits
until the element is first rendered; nothing else about the element changes.
"""

from __future__ import annotations

from branca import element

__all__ = ["LazyTemplate", "install"]


class LazyTemplate:
    """A Jinja template compiled from ``source`` the first time it is used."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str):
        self.source, self._compiled = source, None

    def _template(self):
        if self._compiled is None:
            self._compiled = element.Template(self.source)
        return self._compiled

    def render(self, *args, **kwargs):
        return self._template().render(*args, **kwargs)

    def __getattr__(self, name):  # module, blocks, ...: whatever a Template offers
        return getattr(self._template(), name)


_ELEMENT_INIT = element.Element.__init__


def _element_init(self, template=None, template_name=None):
    _ELEMENT_INIT(self, None, template_name)
    self._template_str = template
    if template is not None:
        self._template = LazyTemplate(template)


def install() -> None:
    """Make every folium element created from now on compile its text only when rendered.

    It changes ``branca.element.Element`` for the whole process, so the app asks for it
    once, at start (app.py); a picture or a command that draws no web map never does.
    """
    if element.Element.__init__ is not _element_init:  # once per process
        element.Element.__init__ = _element_init
