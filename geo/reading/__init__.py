"""Reading a new report: the places, dates, groups and people it names, and the events it tells.

A page or a command calls :func:`read_report` with the text (or :func:`read_report_file` with
an uploaded file's bytes) and gets a :class:`Reading`: its mentions (kind, text, offsets,
sentence, candidates with points and confidence) and its proposed events in the imported event
model. Bad input raises :class:`ReadingError`.
"""

from geo.reading.engine import MENTION_KINDS, Mention, Reading, read_report, read_report_file
from geo.reading.files import MAX_FILE_BYTES, ReadingError, html_to_text, text_from_bytes, text_from_file
from geo.reading.places import Candidate

__all__ = [
    "MENTION_KINDS",
    "MAX_FILE_BYTES",
    "Candidate",
    "Mention",
    "Reading",
    "ReadingError",
    "html_to_text",
    "read_report",
    "read_report_file",
    "text_from_bytes",
    "text_from_file",
]
