"""Reading a new report: what a user would notice in the places, dates, names and events it finds."""

import argparse
import datetime as dt
import io
import json

import pytest

from geo.reading import ReadingError, command, html_to_text, read_report, text_from_bytes

REPORT_DAY = dt.date(2013, 1, 18)  # a Friday


def _place(reading, written):
    found = [mention for mention in reading.places if mention.text == written]
    assert found, f"{written!r} not read as a place; places: {[m.text for m in reading.places]}"
    return found[0]


def test_niger_is_the_country_after_a_town_and_the_river_along_its_banks():
    reading = read_report(
        "Gunmen seized five workers in Arlit, Niger, on Thursday. Boats stopped crossing "
        "the Niger near Mopti, and the Niger River rose at Gao.",
        report_date=REPORT_DAY,
    )
    country, river, named_river = [m for m in reading.places if m.text.startswith("Niger")]
    assert (country.candidates[0].kind, country.candidates[1].kind) == ("country", "river")
    assert river.candidates[0].kind == "river" and river.candidates[1].kind == "country"
    assert named_river.text == "Niger River" and named_river.candidates[0].kind == "river"


def test_goa_is_read_as_gao_with_less_confidence():
    reading = read_report("French jets struck rebel positions near Goa and Timbuktu on Friday.", report_date=REPORT_DAY)
    goa = _place(reading, "Goa")
    assert goa.candidates[0].name == "Gao"
    assert abs(goa.candidates[0].lon - (-0.04)) < 0.1 and abs(goa.candidates[0].lat - 16.27) < 0.1
    assert goa.confidence < _place(reading, "Timbuktu").confidence


def test_a_name_two_towns_share_puts_the_one_near_the_other_places_first():
    reading = read_report("Fighters left Kidal and Timbuktu and regrouped at Gao.", report_date=REPORT_DAY)
    gao = _place(reading, "Gao")
    assert len(gao.candidates) >= 2
    assert gao.candidates[0].country == "ML"  # the Malian town, not Gao in Burkina Faso


def test_french_place_names_reach_the_curated_places():
    reading = read_report(
        "Les combattants ont pris Tombouctou et Ménaka, puis ont attaqué le site d'In Aménas "
        "en Algérie, selon des sources sécuritaires.",
        report_date=REPORT_DAY,
    )
    assert reading.language == "fr"
    assert _place(reading, "Tombouctou").id == "timbuktu"
    assert _place(reading, "Ménaka").id == "menaka"
    assert _place(reading, "In Aménas").id == "in-amenas"
    assert _place(reading, "Algérie").candidates[0].kind == "country"


def test_relative_dates_count_from_the_report_date():
    reading = read_report(
        "Gunmen attacked Konna on Thursday after fighting last Friday. Police arrested "
        "two men in Gao yesterday. Three months after, the town was calm.",
        report_date=REPORT_DAY,
    )
    dates = {mention.text: (mention.date_start, mention.precision) for mention in reading.dates}
    assert dates["Thursday"] == (dt.date(2013, 1, 17), "day")
    assert dates["last Friday"] == (dt.date(2013, 1, 11), "day")
    assert dates["yesterday"] == (dt.date(2013, 1, 17), "day")
    assert dates["Three months after"] == (dt.date(2013, 4, 1), "month")


def test_absolute_dates_keep_their_precision_and_the_dateline_gives_the_report_date():
    reading = read_report(
        "BAMAKO, 18 janvier 2013 (AFP) - Le 16 septembre 2010, des hommes armés ont enlevé "
        "cinq Français à Arlit. Au printemps 2012, puis le 01/16/2013, fin mars et en 2007."
    )
    assert reading.report_date == dt.date(2013, 1, 18) and "dateline" in reading.report_date_basis
    dates = {mention.text: (mention.date_start, mention.precision) for mention in reading.dates}
    assert dates["16 septembre 2010"] == (dt.date(2010, 9, 16), "day")
    assert dates["printemps 2012"] == (dt.date(2012, 3, 1), "season")
    assert dates["01/16/2013"] == (dt.date(2013, 1, 16), "day")
    assert dates["fin mars"][1] == "month"
    assert dates["2007"] == (dt.date(2007, 1, 1), "year")


def test_groups_and_people_are_found_through_their_aliases_and_spellings():
    reading = read_report(
        "Fighters of Ansar Dine, loyal to Iyad Ag Ghaly, met men sent by Bilmukhtar in Kidal "
        "on Thursday. A man named Harouna Keita was also there.",
        report_date=REPORT_DAY,
    )
    found = {mention.text: mention.id for mention in reading.groups + reading.people}
    assert found["Ansar Dine"] == "ansar-eddine"
    assert found["Iyad Ag Ghaly"] == "iyad-ag-ghali"
    assert found["Bilmukhtar"] == "mokhtar-belmokhtar"
    assert "Harouna Keita" not in found  # a name no curated list has is not forced onto one


def test_a_sentence_telling_a_kidnapping_becomes_a_draft_event_with_roles_and_locator():
    reading = read_report(
        "NIAMEY, Sept 17, 2010 (Reuters) - Al Qaeda in the Islamic Maghreb kidnapped five "
        "French nationals in Arlit on Thursday, officials said."
    )
    assert len(reading.events) == 1
    event = reading.events.iloc[0]
    assert event["type"] == "kidnapping"
    assert (event["date_start"], event["date_precision"]) == ("2010-09-16", "day")
    assert event["place_name"] == "Arlit" and abs(event.geometry.x - 7.39) < 0.1
    assert event["roles"] == {"aqim": "actor"}
    assert "kidnapped" in event["source_text"] and "Arlit" in event["source_text"]
    assert len(event["source_text"].split()) <= 12
    assert event["origin"] == "report" and event["sources"] == []


def test_html_scripts_styles_and_handlers_never_reach_the_text():
    page = (
        "<html><head><title>t</title><script>alert('x')</script><style>p{color:red}</style></head>"
        '<body><p onclick="steal()">Gunmen attacked Gao.</p><script>var leak = 1;</script></body></html>'
    )
    text = html_to_text(page)
    assert "Gunmen attacked Gao." in text
    for hidden in ("alert", "color:red", "steal", "leak"):
        assert hidden not in text
    assert "alert" not in text_from_bytes(page.encode(), "story.html")


def test_bad_input_is_refused_with_a_message_that_says_what_was_wrong():
    with pytest.raises(ReadingError, match="empty text"):
        read_report("   \n ")
    with pytest.raises(ReadingError, match="empty text"):
        text_from_bytes(b"", "story.txt")
    with pytest.raises(ReadingError, match=r"over the limit of 20\.0 MB"):
        text_from_bytes(b"x" * (20 * 1024 * 1024 + 1), "big.txt")
    with pytest.raises(ReadingError, match="expected one of"):
        text_from_bytes(b"data", "story.xls")


def _pdf(password=None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdfs_without_text_locked_or_broken_are_refused():
    with pytest.raises(ReadingError, match="scanned\\? no text found"):
        text_from_bytes(_pdf(), "scan.pdf")
    with pytest.raises(ReadingError, match="password-protected"):
        text_from_bytes(_pdf(password="secret"), "locked.pdf")
    with pytest.raises(ReadingError, match="broken"):
        text_from_bytes(b"%PDF-1.4 this is not a PDF at all", "broken.pdf")
    with pytest.raises(ReadingError, match="broken"):
        text_from_bytes(b"PK not a zip", "broken.docx")


def test_a_word_document_is_read():
    import docx

    document = docx.Document()
    document.add_paragraph("Gunmen attacked Kidal on 16 September 2010.")
    buffer = io.BytesIO()
    document.save(buffer)
    text = text_from_bytes(buffer.getvalue(), "story.docx")
    assert "Kidal" in text and _place(read_report(text), "Kidal").id == "kidal"


def test_a_report_in_another_language_says_so_and_keeps_what_it_read():
    with pytest.raises(ReadingError, match="neither English nor French") as refused:
        read_report(
            "Bewaffnete Männer haben gestern in Gao und Kidal fünf Arbeiter entführt, sagte ein Sprecher "
            "der Regierung in Bamako am Donnerstag. Die Armee hat die Stadt umstellt und sucht nach den "
            "Entführern, die mit zwei Geländewagen nach Norden gefahren sind."
        )
    assert {m.text for m in refused.value.reading.places} >= {"Gao", "Kidal", "Bamako"}


def test_a_text_with_no_place_says_so():
    reading = read_report("The spokesman said the talks would continue and that nothing had been decided.")
    assert any("no place found" in problem for problem in reading.problems)


def _args(tmp_path, file, *extra):
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args([str(file), "--out", str(tmp_path / "proposals.geojson"), *extra])


def test_the_command_writes_one_feature_per_place_mention_and_the_events(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Gunmen kidnapped two workers in Arlit, Niger, on Thursday, AQIM said.", encoding="utf-8")
    args = _args(tmp_path, story, "--date", "2010-09-17", "--events", str(tmp_path / "events.geojson"))
    assert command.run(args) == 0
    features = json.loads((tmp_path / "proposals.geojson").read_text())["features"]
    assert [f["properties"]["text"] for f in features] == ["Arlit", "Niger"]
    arlit = features[0]["properties"]
    assert (arlit["kind"], arlit["id"]) == ("town", "arlit")
    assert story.read_text()[arlit["start"] : arlit["end"]] == "Arlit"
    assert arlit["sentence"].startswith("Gunmen kidnapped") and 0 < arlit["confidence"] <= 1
    assert features[1]["properties"]["kind"] == "country"
    events = json.loads((tmp_path / "events.geojson").read_text())["features"]
    assert events[0]["properties"]["type"] == "kidnapping"
    assert events[0]["properties"]["date_start"] == "2010-09-16"


def test_the_command_refuses_an_empty_file_and_writes_nothing(tmp_path, capsys):
    story = tmp_path / "empty.txt"
    story.write_text("", encoding="utf-8")
    assert command.run(_args(tmp_path, story)) == 2
    assert "empty text" in capsys.readouterr().err
    assert not (tmp_path / "proposals.geojson").exists()
