"""Quoted statements and who made them, from an article's paragraphs.

Pure rules, no model: quote marks are paired by a one-pass scanner (``marks``),
the text outside the marks is tokenised into sentences (``tokens``), cue verbs
(``cues``) find their subject noun phrase (``subjects``, ``phrases``), the
registry of ``newsclaims.speakers`` turns names, role nouns and pronouns into one
canonical person per article (``names``, ``people``), and each quote gets its
speaker (``attribution``) and kind (``kinds``). ``extract`` runs the passes.
"""

from newsclaims.quotes.extract import extract_quotes, read_text_document

__all__ = ["extract_quotes", "read_text_document"]
