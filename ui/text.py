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

__all__ = ["WORD_JOINER", "plain"]

# Every ASCII punctuation character may be escaped in CommonMark, and escaping them all covers
# links, images, emphasis, HTML, entities, headings, lists, tables, maths (``$``) and Streamlit's
# ``:colour[...]`` directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Bare addresses (``https://…``, ``www.…``, ``a@b.c``) are linked by GitHub-flavoured markdown in the
# text that is left once escapes are read, so escaping does not stop them: an invisible word joiner
# inside each (after ``http``, ``www`` and ``@``) does, and the text still reads the same.
_BARE_ADDRESS = re.compile(r"(?i)(?<=http)(?=s?:)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """``text`` (any value: it is shown as ``str(text)``) escaped so markdown shows it as written, never as markup.

    >>> print(plain("**[x](evil.example)**"))
    \\*\\*\\[x\\]\\(evil\\.example\\)\\*\\*
    """
    return _PUNCTUATION.sub(r"\\\1", _BARE_ADDRESS.sub(WORD_JOINER, str(text)))
