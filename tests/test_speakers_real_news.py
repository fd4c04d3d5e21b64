"""Speaker rules found on real news (issue 8), each tested on sentences written for it.

Organisations and unnamed sources speak; names lose titles and party labels; lone
names, compound surnames and pronouns resolve as a reader would. No commas needed.
"""

from __future__ import annotations

from newsclaims.quotes.extract import extract_quotes
from newsclaims.records import Quote
from newsclaims.speakers.mentions import parse_mention
from newsclaims.speakers.names import first_name_gender
from newsclaims.speakers.organisations import initials, is_org_name, names_same_org


def quotes_of(*paragraphs: str, headline: str | None = None) -> list[Quote]:
    return [q for q in extract_quotes(list(paragraphs), headline) if q.paragraph >= 0]


def _who(quote: Quote) -> tuple[str | None, str | None]:
    return quote.speaker, quote.speaker_type


# --- organisations -------------------------------------------------------------------


def test_ministry_is_a_speaker() -> None:
    (quote,) = quotes_of('"No aircraft flew over the valley" the Moldovan Defence Ministry said.')
    assert _who(quote) == ("Moldovan Defence Ministry", "organisation")
    assert quote.resolution == "named"


def test_short_form_and_acronym_take_the_fullest_name() -> None:
    found = quotes_of(
        "The Baltic Institute for Coastal Research (BICR) published its survey on Monday.",
        '"The shoreline moved ten metres" the Institute said.',
        '"We will measure again in spring" BICR added.',
    )
    assert [_who(q) for q in found] == [
        ("Baltic Institute for Coastal Research", "organisation")
    ] * 2


def test_initials_name_the_organisation() -> None:
    assert initials("Baltic Institute for Coastal Research") == "BICR"
    assert names_same_org("BICR", "Baltic Institute for Coastal Research")
    assert names_same_org(["the", "Institute"][-1], "Baltic Institute for Coastal Research")


def test_organisation_reference_and_it_refer_back() -> None:
    found = quotes_of(
        '"Prices will rise" the Northern Grain Council said on Monday.',
        'It added that "stocks are at their lowest in a decade".',
        '"Farmers need help now" the council said.',
    )
    assert [q.speaker for q in found] == ["Northern Grain Council"] * 3
    assert [q.resolution for q in found] == [
        "named",
        "organisation_reference",
        "organisation_reference",
    ]


def test_statement_by_an_organisation_credits_the_organisation() -> None:
    (quote,) = quotes_of('"The convoy was not attacked" said a statement by the Harbour Authority.')
    assert _who(quote) == ("Harbour Authority", "organisation")


def test_descriptor_before_an_organisation_is_not_its_name() -> None:
    (quote,) = quotes_of('"Forty homes were hit" the London-based Coastal Watch Group said.')
    assert quote.speaker == "Coastal Watch Group"


def test_outlet_reporting_after_a_quote_without_commas() -> None:
    (quote,) = quotes_of('"Two bridges were closed" state news agency KNA reported.')
    assert _who(quote) == ("KNA", "organisation")


def test_place_speaking_for_its_government() -> None:
    (quote,) = quotes_of('Norway condemned the raid describing it as "a grave violation".')
    assert _who(quote) == ("Norway", "organisation")


def test_person_and_organisation_of_the_same_words_do_not_merge() -> None:
    assert parse_mention(["Anthony", "Lake"]).kind == "name"  # type: ignore[union-attr]
    assert is_org_name(["White", "Helmets"])
    assert not is_org_name(["Jim", "Jordan"])


# --- unnamed sources -----------------------------------------------------------------


def test_unnamed_sources_are_described() -> None:
    found = quotes_of(
        '"The road is cut" military sources said.',
        '"We lost two trucks" a rebel commander told reporters.',
    )
    assert [_who(q) for q in found] == [
        ("military sources", "unnamed"),
        ("rebel commander", "unnamed"),
    ]


def test_the_source_refers_back_to_the_unnamed_source() -> None:
    found = quotes_of(
        '"Shelling resumed at dawn" a security source said.',
        '"Nobody was hurt" the source added.',
    )
    assert [q.speaker for q in found] == ["security source", "security source"]


# --- names ---------------------------------------------------------------------------


def test_titles_and_party_labels_leave_the_name() -> None:
    for phrase, name in [
        ("Representative Marla P. Osgood", "Marla P. Osgood"),
        ("Democrat Lena Whitcombe", "Lena Whitcombe"),
        ("Sen. Arturo Venn", "Arturo Venn"),
    ]:
        mention = parse_mention(phrase.split())
        assert mention is not None and mention.name == name


def test_particles_and_compound_surnames_stay_together() -> None:
    found = quotes_of(
        '"We saw the smoke" said Abu Karim al-Tahan.',
        '"The smoke was black" Rami Abdel Nour said.',
        '"It lasted an hour" Abdel Nour added.',
    )
    assert [q.speaker for q in found] == [
        "Abu Karim al-Tahan",
        "Rami Abdel Nour",
        "Rami Abdel Nour",
    ]


def test_suffix_is_not_the_surname() -> None:
    found = quotes_of(
        "Thomas R. Pell Jr. addressed the crowd.",
        '"We are ready" Mr. Pell said.',
    )
    assert found[0].speaker == "Thomas R. Pell Jr."


def test_suffixes_alone_are_no_name() -> None:
    """`Jr. II` read as a noun phrase of suffixes only used to crash the extractor."""
    (quote,) = quotes_of('"We will win," Jr. II said.')
    assert quote.quote == "We will win,"
    assert quote.speaker is None
    (other,) = quotes_of('The heir, Jr. II, was there. "It is over," Nell Ayers said.')
    assert other.speaker == "Nell Ayers"


def test_name_then_role_without_commas() -> None:
    (quote,) = quotes_of('"Beds are full" said Ilse Varga head of the regional health board.')
    assert quote.speaker == "Ilse Varga"
    assert quote.role == "head of the regional health board"


def test_dash_after_a_quote_credits_the_name() -> None:
    (quote,) = quotes_of("\u201cThe bus never came.\u201d \u2015 Marisol Quintana")
    assert quote.speaker == "Marisol Quintana"


def test_headline_full_name_completes_a_surname() -> None:
    (quote,) = quotes_of(
        '"We will not back down" Okonkwo said.', headline="Adaeze Okonkwo vows to fight"
    )
    assert quote.speaker == "Adaeze Okonkwo"


# --- pronouns ------------------------------------------------------------------------


def test_first_name_dictionary_gives_gender() -> None:
    assert first_name_gender("Melanie") == "f"
    assert first_name_gender("Sergei") == "m"


def test_pronoun_prefers_the_subject_to_a_name_after_with() -> None:
    found = quotes_of(
        "Greta Lindholm met with Peter Kask on Friday to discuss the harbour plans.",
        '"The talks went well" she said.',
    )
    assert found[0].speaker == "Greta Lindholm"
    assert found[0].resolution == "pronoun"


def test_participle_cue_takes_the_clause_subject() -> None:
    (quote,) = quotes_of(
        'Mayor Tomas Reyes opened the bridge on Monday adding that it was "built to last".'
    )
    assert quote.speaker == "Tomas Reyes"


# --- fullest names from anywhere in the article ---------------------------------------


def test_full_name_in_a_possessive_completes_the_surname() -> None:
    found = quotes_of(
        "Marta Lindqvist’s new harbour plan divided the council.",
        '"We cannot wait another decade" Lindqvist said.',
    )
    assert [q.speaker for q in found] == ["Marta Lindqvist"]


def test_title_case_headline_completes_the_surname_and_is_not_a_name() -> None:
    found = quotes_of(
        '"The figures speak for themselves" Okonkwo said.',
        '"We will keep going" he said.',
        headline="Angry Farmers Cheer Samuel Okonkwo As Prices Climb",
    )
    assert [q.speaker for q in found] == ["Samuel Okonkwo"] * 2


def test_the_title_gender_picks_between_people_of_one_surname() -> None:
    found = quotes_of(
        "Daniel Varga and Ilona Varga opened the gallery together.",
        "Ilona Varga spoke first.",
        '"It took us nine years" Mr. Varga said.',
    )
    assert [q.speaker for q in found] == ["Daniel Varga"]


def test_a_quoted_nickname_names_the_same_person() -> None:
    found = quotes_of(
        'Sen. Thomas R. "Tommy" Hale hosted the picnic.',
        '"This is our year" Tommy Hale said.',
        '"Nobody works harder" Hale added.',
    )
    assert [q.speaker for q in found if q.kind != "optional"] == ["Thomas R. Hale"] * 2


# --- unnamed people and roles without commas -------------------------------------------


def test_an_indefinite_noun_of_a_person_is_an_unnamed_source() -> None:
    (quote,) = quotes_of('Over dinner a neighbour remarked: "The bridge will never open."')
    assert _who(quote) == ("neighbour", "unnamed")
    (quote,) = quotes_of('"Pay your bills" a narrator in the advert asks.')
    assert _who(quote) == ("narrator", "unnamed")


def test_a_document_or_thing_is_not_an_unnamed_source() -> None:
    found = quotes_of(
        "Orla Brandt founded the mill in 1990.",
        'In a statement, Brandt said: "The mill will stay open."',
    )
    assert [q.speaker for q in found] == ["Orla Brandt"]


def test_the_name_before_a_role_speaks_not_the_topic_after_it() -> None:
    (quote,) = quotes_of(
        '"Nobody has claimed it" Mara Tenholt the regional envoy for Boravia on refugee '
        "questions said on Friday."
    )
    assert quote.speaker == "Mara Tenholt"


def test_a_name_then_its_role_without_commas_is_the_person_not_the_region() -> None:
    (quote,) = quotes_of(
        '"Hundreds are missing" said Idris Vale deputy director of the Northern Europe '
        "division at Coastwatch."
    )
    assert _who(quote) == ("Idris Vale", "person")


def test_a_capitalised_cue_opening_its_sentence_inverts() -> None:
    found = quotes_of("Few agreed. Said Prewitt: “The bridge was never needed.”")
    assert [q.speaker for q in found] == ["Prewitt"]


def test_short_and_plural_titles_are_not_part_of_the_name() -> None:
    found = quotes_of(
        "Sens. Ada Lindgren and Tomas Berg wrote to the bank.",
        '"You broke the rules," said Del. Ruth Okafor of the islands.',
        '"We want answers," Lindgren said.',
    )
    assert [q.speaker for q in found] == ["Ruth Okafor", "Ada Lindgren"]


def test_a_party_label_in_brackets_does_not_hide_the_name() -> None:
    found = quotes_of(
        '"The deadline stands," panel Chairman Rep. Owen Tull (R-Ore.) said after the vote.',
        '"We are watching," his aide, Mina Holt (D-Ore.), told the crowd.',
    )
    assert [q.speaker for q in found] == ["Owen Tull", "Mina Holt"]


# --- organisations and relayed speakers -------------------------------------------------


def test_an_organisation_reference_heads_a_participle_cue() -> None:
    found = quotes_of(
        "The Harbour Board opened the new dock on Monday.",
        'The board also blamed the storm saying the damage was "beyond repair."',
    )
    assert [_who(q) for q in found] == [("Harbour Board", "organisation")]


def test_a_statement_by_a_lower_case_ministry_is_the_ministry() -> None:
    found = quotes_of(
        "The Valdorian Defence Ministry met on Monday.",
        '"Our jets flew nowhere near the dam" said a statement by the defence ministry.',
    )
    assert [q.speaker for q in found] == ["Valdorian Defence Ministry"]


def test_an_acronym_before_its_kind_is_the_organisation() -> None:
    (quote,) = quotes_of('"The road is open again" the state-run KNA news agency said.')
    assert _who(quote) == ("KNA", "organisation")


def test_quoting_and_quoted_as_saying_credit_the_one_quoted() -> None:
    found = quotes_of(
        '"The pass is closed" Radio Kell said on Monday quoting Interior Minister Ivo Marek.',
        'The agency quoted a senior army officer as saying "the front has held."',
    )
    assert [_who(q) for q in found] == [
        ("Ivo Marek", "person"),
        ("senior army officer", "unnamed"),
    ]


def test_a_definite_source_with_its_own_modifiers_is_a_new_source() -> None:
    found = quotes_of(
        'The monitor said citing hospital sources that the gas was "very strong".',
        'The naval source on Friday denied it saying the fleet "never left port".',
        '"We were not there" the source said.',
    )
    assert [q.speaker for q in found] == ["hospital sources", "naval source", "naval source"]


# --- forms of address, epithets, first names -------------------------------------------


def test_after_mr_a_title_word_is_a_surname() -> None:
    found = quotes_of(
        "Walter Bishop hosts the late show.",
        '"They pay us well," Mr. Bishop said.',
        '"I never read the script," Mr. Bishop\'s producer said.',
    )
    assert found[0].speaker == "Walter Bishop"


def test_a_title_of_the_other_gender_is_not_the_namesake() -> None:
    found = quotes_of(
        "Governor Varga spoke on Saturday.",
        "Ilona Varga also spoke.",
        '"It is about all of us," Mr. Varga said.',
        headline="Why Daniel Varga Wants Another Term",
    )
    assert [q.speaker for q in found] == ["Daniel Varga"]


def test_a_party_label_ends_no_name() -> None:
    (quote,) = quotes_of('"Turnout decides it," said Nils Brun, a prominent Ohio Democrat.')
    assert quote.speaker == "Nils Brun"


def test_a_qualified_role_refers_back_to_the_main_person() -> None:
    found = quotes_of(
        "Harriet Vole toured three factories on Monday.",
        '"We need new jobs," the Ohio businesswoman said.',
        '"Welcome aboard," the announcer said.',
    )
    assert [(q.speaker, q.speaker_type) for q in found] == [
        ("Harriet Vole", "person"),
        ("announcer", "unnamed"),
    ]


def test_a_first_name_heading_its_sentence_is_the_next_she() -> None:
    found = quotes_of(
        "The reporter Stephanie Moss visited the town.",
        "Melanie thought the whole thing was unfair. She was not ill.",
        '"Here he comes," she said.',
    )
    assert [q.speaker for q in found] == ["Melanie"]


def test_a_bare_surname_means_the_namesake_who_speaks() -> None:
    found = quotes_of(
        "Sen. Ada Brisk spoke to reporters.",
        '"We will win," Brisk said.',
        "Opponents attacked her brother, Karl Brisk, a banker.",
        '"Leave my family alone," Brisk said on Monday.',
    )
    assert [q.speaker for q in found] == ["Ada Brisk"] * 2


def test_the_agent_of_a_with_clause_is_the_next_she() -> None:
    found = quotes_of(
        "The plan fails, according to a study by Nora Pell, a former aide.",
        "The plan became an issue, with Mia Dorn lambasting it at every stop.",
        '"It would not work," she said.',
    )
    assert [q.speaker for q in found] == ["Mia Dorn"]


# --- more cues and subjects ------------------------------------------------------------


def test_singing_chanting_and_yelling_are_cues() -> None:
    found = quotes_of(
        "Marla Quinn closed the show.",
        "“Keep your hands in sight,” Quinn sings to the crowd.",
        "“Who shot him?” she yells while running down the street.",
    )
    assert [q.speaker for q in found] == ["Marla Quinn"] * 2


def test_as_x_put_it_credits_the_name_not_its_role() -> None:
    (quote,) = quotes_of(
        'As Hal Brenner, a tax lawyer, recently put it, "Did the firm evade or avoid?"'
    )
    assert quote.speaker == "Hal Brenner"


def test_bare_plural_people_are_unnamed_sources() -> None:
    (quote,) = quotes_of('Outside the hall, protesters chanted "Open the bridge" for hours.')
    assert (quote.speaker, quote.speaker_type) == ("protesters", "unnamed")


def test_a_double_surname_finds_the_full_name() -> None:
    found = quotes_of(
        "The minister, Rodrigo Salas Ibarra, spoke first.",
        '"We must not overreact," Mr. Salas Ibarra said.',
    )
    assert [q.speaker for q in found] == ["Rodrigo Salas Ibarra"]


def test_a_participle_credits_the_clause_subject_not_the_object() -> None:
    found = quotes_of(
        "The Harbour Board met on Monday.",
        'The Harbour Board blamed the port authority saying the delay was "unacceptable".',
    )
    assert [q.speaker for q in found] == ["Harbour Board"]


def test_a_named_organisation_before_its_kind_noun() -> None:
    found = quotes_of(
        "Dozens died the Baltic Observatory for Coastal Rights monitoring group said.",
        'The observatory said the jet released "a yellow cloud".',
    )
    assert [q.speaker for q in found] == ["Baltic Observatory for Coastal Rights"]


def test_they_after_an_organisation_spoke_is_that_organisation() -> None:
    found = quotes_of(
        "The KRU reported no deaths on Monday.",
        'They added that their fighters "captured gas masks" in the raid.',
    )
    assert [_who(q) for q in found] == [("KRU", "organisation")]


def test_the_group_is_not_a_country_and_an_acronym_spelled_out_in_a_quote() -> None:
    found = quotes_of(
        "Valdoria blamed the rebels for the attack.",
        '"The Council for Safe Waters (CSW) is deeply concerned by the spill" the group said.',
        'CSW said it was "gathering evidence".',
    )
    assert [q.speaker for q in found] == ["Council for Safe Waters"] * 2


def test_a_colon_ends_a_sentence_whose_named_subject_speaks() -> None:
    found = quotes_of(
        "With turnout low, Senator Ada Brisk is taking a new message on the road: "
        '"This election is about you."'
    )
    assert [q.speaker for q in found] == ["Ada Brisk"]
