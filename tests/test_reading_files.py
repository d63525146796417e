"""A report given as a PDF with a text layer is read like any other."""

from geo.reading import read_report, text_from_bytes


def _pdf_with_text(line: str) -> bytes:
    """A one-page PDF whose page draws ``line`` in Helvetica: a text layer, written by hand."""
    stream = f"BT /F1 12 Tf 40 700 Td ({line}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def test_a_pdf_with_a_text_layer_is_read_and_its_places_and_events_found():
    text = text_from_bytes(_pdf_with_text("AQIM attacked Kidal on 16 September 2010."), "report.pdf")
    assert "Kidal" in text
    reading = read_report(text)
    assert [mention.id for mention in reading.places] == ["kidal"]
    [event] = reading.events.itertuples()
    assert (event.type, event.date_start, event.groups) == ("attack", "2010-09-16", ["aqim"])
