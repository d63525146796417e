"""The keys that turn a presented story's steps, wherever the focus is on the page.

Presentation clickers send PageDown and PageUp (some send Space, or the arrow keys), and a
presenter who has just clicked the map or a button still expects them to work. One listener
on the page, added once, presses the page's own Next or Previous button, so a key does
exactly what a click does. It leaves alone a key typed in a field, a list being chosen from,
or an open menu, and does nothing on a page without those buttons. The map's frame hands
its keys to the same function (:func:`layers.presentation.forward_step_keys`).
"""

from __future__ import annotations

import json

import streamlit as st

__all__ = ["NEXT_KEYS", "PREVIOUS_KEYS", "listen_for_step_keys"]

NEXT_KEYS = ("PageDown", "ArrowRight", "ArrowDown", " ")
PREVIOUS_KEYS = ("PageUp", "ArrowLeft", "ArrowUp")  # and Shift+Space

_SCRIPT = """
<script>
(function () {
  var page = window;
  var NEXT = %(next)s, PREVIOUS = %(previous)s;
  // A key typed or chosen with here is the user's, not the story's.
  var BUSY = "input, textarea, select, [contenteditable], [role=combobox], [role=listbox], [role=option], " +
             "[role=slider], [role=menu], [data-testid=stPopoverBody], [data-baseweb=popover]";
  page.atlasStepKey = function (key, shift) {
    var direction = key === " " && shift ? "previous" : NEXT.indexOf(key) >= 0 ? "next"
                  : PREVIOUS.indexOf(key) >= 0 ? "previous" : null;
    var button = direction && page.document.querySelector(".st-key-%(prefix)s" + direction + " button");
    if (!button) { return false; }
    if (!button.disabled) { button.click(); }
    return true;
  };
  if (page.atlasStepKeysListening) { return; }
  page.atlasStepKeysListening = true;
  function handled(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return false; }
    var target = event.target;
    if (target && target.closest && target.closest(BUSY)) { return false; }
    return page.atlasStepKey(event.key, event.shiftKey);
  }
  page.addEventListener("keydown", function (event) {
    if (handled(event)) { event.preventDefault(); event.stopPropagation(); }
  }, true);
  // Space on a focused button would press it again when the key comes up.
  page.addEventListener("keyup", function (event) {
    var target = event.target;
    if (event.key === " " && !(target && target.closest && target.closest(BUSY)) &&
        page.document.querySelector(".st-key-%(prefix)snext")) { event.preventDefault(); }
  }, true);
})();
</script>
"""


def listen_for_step_keys(prefix: str = "step_") -> None:
    """Listen for the step keys on the page; they press the buttons keyed ``{prefix}next`` and ``{prefix}previous``."""
    script = _SCRIPT % {
        "next": json.dumps(list(NEXT_KEYS)),
        "previous": json.dumps(list(PREVIOUS_KEYS)),
        "prefix": prefix,
    }
    st.html(script, unsafe_allow_javascript=True)
