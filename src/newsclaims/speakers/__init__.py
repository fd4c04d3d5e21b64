"""Who is speaking: person names, roles and one canonical person per article.

No model: capitalised name runs, role and rank vocabularies (``data/``), and
recency. ``lexicon`` holds the word lists, ``words`` the tests on one word,
``mentions`` reads a noun phrase, ``registry`` keeps the people of an article.
"""

from newsclaims.speakers.mentions import Mention, parse_mention
from newsclaims.speakers.registry import Person, PersonRegistry, Position, Resolution, roles_match

__all__ = [
    "Mention",
    "Person",
    "PersonRegistry",
    "Position",
    "Resolution",
    "parse_mention",
    "roles_match",
]
