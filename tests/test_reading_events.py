"""Proposed events from a report: where, when and who, as a curator would read them."""

import datetime as dt

from geo.reading import read_report

REPORT_DAY = dt.date(2010, 8, 30)


def _dates(reading):
    return {mention.text: (mention.date_start, mention.date_end, mention.precision) for mention in reading.dates}


def test_since_a_year_runs_to_the_report_date_and_this_past_day_is_in_the_report_year():
    reading = read_report(
        "Belmokhtar has lived in northern Mali since 2004. The raid of this past 22 July failed.",
        report_date=REPORT_DAY,
    )
    dates = _dates(reading)
    assert dates["2004"] == (dt.date(2004, 1, 1), REPORT_DAY, "year")
    assert dates["22 July"][0] == dt.date(2010, 7, 22)


def test_a_span_after_an_event_is_no_date_but_a_span_after_a_date_is():
    reading = read_report(
        "Gunmen kidnapped two Spaniards in Mauritania in November 2009. He went to the "
        "camps one week after the kidnapping. Two days later, he left.",
        report_date=REPORT_DAY,
    )
    dates = _dates(reading)
    assert "one week after" not in dates
    assert dates["Two days later"][2] == "month"  # counted from November 2009, as precise as it


def test_northern_mali_is_read_as_the_region_not_the_country():
    reading = read_report("AQIM fighters retreated into northern Mali and the north of Mali.", report_date=REPORT_DAY)
    assert [mention.id for mention in reading.places] == ["northern-mali", "northern-mali"]


def test_an_event_is_placed_where_the_sentence_says_it_happened_not_at_a_country_named_otherwise():
    reading = read_report(
        "France's prime minister said in July 2010 that AQIM killed Michel Germaneau in northern Mali.",
        report_date=REPORT_DAY,
    )
    killing = reading.events[reading.events["type"] == "killing"].iloc[0]
    assert killing["place_name"] == "Northern Mali"
    assert killing["original"]["place_from"] == "this sentence"


def test_a_sentence_without_place_or_date_leans_on_the_ones_before_and_he_is_the_last_person_named():
    reading = read_report(
        "Mokhtar Belmokhtar settled in Kidal in 2004. He married a woman from a local "
        "tribe. Later he set up training camps.",
        report_date=REPORT_DAY,
    )
    events = reading.events
    marriage = events[events["type"] == "alliance"].iloc[0]
    assert marriage["place_name"] == "Kidal" and marriage["date_start"] == "2004-01-01"
    assert marriage["people"] == ["mokhtar-belmokhtar"]
    assert marriage["original"]["place_from"] == "an earlier sentence"
    assert marriage["original"]["date_from"] == "an earlier sentence"
    camps = events[events["original_type"].str.startswith("set up")].iloc[0]
    assert camps["type"] == "movement" and camps["people"] == ["mokhtar-belmokhtar"]


def test_a_sentence_far_from_any_place_is_placed_in_the_area_the_report_is_about():
    text = (
        "AQIM operates in northern Mali. Its fighters moved into northern Mali in 2003. Smugglers pay them. "
        "Tribes trade with them. Officials look away. Nobody stops them. In 2008 AQIM sealed an alliance "
        "with local tribes."
    )
    reading = read_report(text, report_date=REPORT_DAY)
    alliance = reading.events[reading.events["type"] == "alliance"].iloc[0]
    assert alliance["place_name"] == "Northern Mali"
    assert alliance["original"]["place_from"] == "the report's area"
    assert alliance["date_start"] == "2008-01-01"


def test_two_verbs_at_one_place_and_time_make_one_draft():
    reading = read_report(
        "AQIM kidnapped and later released two workers in Arlit on 16 September 2010.", report_date=REPORT_DAY
    )
    assert len(reading.events) == 1 and reading.events.iloc[0]["type"] == "kidnapping"


def test_he_before_the_person_a_sentence_names_is_the_person_named_before():
    reading = read_report(
        "Mokhtar Belmokhtar left Algeria in 2012. Then he organized an attack in Agadez in May 2013, "
        "the land of his rival Abu Zeid.",
        report_date=REPORT_DAY,
    )
    attack = reading.events[reading.events["type"] == "attack"].iloc[0]
    assert attack["place_name"] == "Agadez"
    assert attack["roles"]["mokhtar-belmokhtar"] == "actor"


def test_a_line_ending_on_at_goes_on_after_a_blank_line():
    from geo.reading.text import sentence_spans

    text = "Then, he organized an attack at\n\nIn Amenas in January 2013.\n\nIntroduction\n\nAQIM grew."
    spans = [text[start:end] for start, end in sentence_spans(text)]
    assert spans[0] == "Then, he organized an attack at\n\nIn Amenas in January 2013."
    assert spans[1:] == ["Introduction", "AQIM grew."]


def test_in_a_story_with_no_date_since_a_year_is_carried_onto_no_later_event():
    reading = read_report(
        "He negotiated with Mokhtar Belmokhtar, alias Khaled Abou El-Abbas (Laaouer), who since the year "
        "2004 has retreated into northern Mali. He went to the camps of AQIM in northern Mali one week "
        "after the kidnapping. The raid of this past 22 July against AQIM in northern Mali failed.",
        language="en",
    )
    assert "22 July" not in _dates(reading)  # its year is the story's, and the story has no date
    told = {event.source_text: event.date_start for event in reading.events.itertuples()}
    assert all("kidnapping" not in phrase and "raid" not in phrase for phrase in told), told


def test_a_person_named_through_several_aliases_is_one_participant_by_the_atlas_name():
    reading = read_report(
        "BAMAKO, 3 March 2012 - Mokhtar Belmokhtar, alias Khaled Abou El-Abbas (Laaouer), kidnapped "
        "Albert Vialta near Gao.",
        language="en",
    )
    [event] = reading.events.itertuples()
    people = [name for name in event.actors if name != "Government of Mali"]  # BAMAKO, the dateline
    assert people == ["Mokhtar Belmokhtar", "Albert Vilalta"], event.actors
