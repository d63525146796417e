"""Text from outside the app, shown as written: never markup.

Streamlit reads what it shows in ``st.markdown``, ``st.info``, ``st.warning``, ``st.error``,
``st.success``, ``st.caption``, toasts and help texts as markdown: a link parameter, a file's
name, a dataset's name or an error message that quotes one could otherwise become a link, an
image that makes the page fetch an outside host (in an app that promises to work offline),
emphasis or HTML. Every such string passes through :func:`plain` first; the markup around it
is the app's own.
"""

from __future__ import annotations

import re

__all__ = ["plain"]

# Every ASCII punctuation character may be escaped in CommonMark, and escaping them all covers
# links, images, emphasis, HTML, entities, bare addresses (``https://``, ``www.``, ``a@b.c``, which
# GitHub-flavoured markdown links by itself), headings, lists, tables, maths (``$``) and
# Streamlit's ``:colour[...]`` and ``:icon:`` directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object) -> str:
    """``text`` (any value: it is shown as ``str(text)``) escaped so markdown shows it character for character.

    >>> print(plain("[x](https://evil.example)"))
    \\[x\\]\\(https\\:\\/\\/evil\\.example\\)
    """
    return _PUNCTUATION.sub(r"\\\1", str(text))
