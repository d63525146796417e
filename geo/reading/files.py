"""The text of a report from a file: plain text, Markdown, HTML, PDF (with a text layer) or Word.

Every problem a user can cause raises :class:`ReadingError` with a message that says what was
expected and what was got. HTML is read as text only: scripts, styles and event handlers are
dropped, never run.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "FILE_KINDS",
    "ReadingError",
    "text_from_file",
    "text_from_bytes",
    "html_to_text",
]

# A long report is some 100 pages; a PDF with pictures may weigh far more than its text.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
FILE_KINDS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


class ReadingError(ValueError):
    """A report that cannot be read, or can only be read in part.

    ``reading`` holds what could be read when something could (a report in another language),
    else None.
    """

    def __init__(self, message: str, reading=None):
        super().__init__(message)
        self.reading = reading


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def text_from_file(path: str | Path) -> str:
    """The text of the report at ``path`` (see :func:`text_from_bytes`)."""
    path = Path(path)
    if not path.is_file():
        raise ReadingError(f"{path}: expected a report file, found no such file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadingError(
            f"{path.name}: the file is {_megabytes(size)}, over the limit of {_megabytes(MAX_FILE_BYTES)}"
        )
    return text_from_bytes(path.read_bytes(), path.name)


def text_from_bytes(data: bytes, file_name: str) -> str:
    """The text of a report given as the bytes of a file named ``file_name`` (its ending picks the reader)."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadingError(
            f"{file_name}: the file is {_megabytes(len(data))}, over the limit of {_megabytes(MAX_FILE_BYTES)}"
        )
    suffix = Path(file_name).suffix.lower()
    if suffix == ".pdf":
        text = _pdf_text(data, file_name)
    elif suffix == ".docx":
        text = _docx_text(data, file_name)
    elif suffix in (".html", ".htm"):
        text = html_to_text(_decode(data))
    elif suffix in (".txt", ".md", ""):
        text = _decode(data)
    else:
        raise ReadingError(f"{file_name}: expected one of {', '.join(FILE_KINDS)}, got a {suffix} file")
    return check_text(text, file_name)


def check_text(text: str, what: str = "the report") -> str:
    """The text itself, once it is known to be neither empty nor too long."""
    if not text or not text.strip():
        raise ReadingError(f"{what}: expected the text of a report, got an empty text")
    if len(text) > MAX_TEXT_CHARS:
        raise ReadingError(f"{what}: the text has {len(text):,} characters, over the limit of {MAX_TEXT_CHARS:,}")
    return text


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows files; cp1252 decodes (almost) any byte, so it comes last.
        return data.decode("cp1252", errors="replace")


def _pdf_text(data: bytes, file_name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty password only to forbid printing; those read.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several kinds for a missing algorithm
                opened = 0
            if not opened:
                raise ReadingError(f"{file_name}: the PDF is password-protected; expected an open PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadingError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ReadingError(f"{file_name}: expected a PDF, got a broken or unreadable file ({error})") from error
    text = "\n\n".join(pages)
    if not text.strip():
        raise ReadingError(
            f"{file_name}: scanned? no text found in its {len(pages)} page(s); expected a PDF with a text layer"
        )
    return text


def _docx_text(data: bytes, file_name: str) -> str:
    import zipfile

    import docx

    from geo.imports.files import FileProblem, check_zip

    try:  # measured from its zip directory first: a zip bomb is refused before anything is unpacked
        check_zip(data, file_name, what="Word document")
    except FileProblem as problem:
        raise ReadingError(str(problem)) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReadingError(
            f"{file_name}: expected a Word document (.docx), got a broken or "
            f"password-protected file ({error.__class__.__name__})"
        ) from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n\n".join(parts)


# Elements whose content is never text a reader sees.
_HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "title",
    "dd",
    "dt",
}


class _TextOnly(HTMLParser):
    """Collects the visible text; attributes (and so event handlers) are never looked at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, paragraphs kept apart; scripts and styles left out."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[\s]*\n\s*", "\n\n", text)
    return text.strip()
