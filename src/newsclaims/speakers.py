"""Who is speaking: person names, roles and one canonical person per article.

News names a speaker once in full ("U.S. Secretary of State John Kerry") and then
refers back with a surname, a role noun or a pronoun. This module keeps the rules
for reading such noun phrases and a per-article registry that maps every later
reference to the canonical full name, without any model: capitalised name runs,
role and rank vocabularies, and recency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from newsclaims.text import fold_quotes

MentionKind = Literal["name", "role", "pronoun", "other"]
Gender = Literal["m", "f"]


# Word classification is pure and words repeat, so look-ups are memoised (bounded).
_WORD_CACHE = 1 << 16


def lexicon(text: str) -> frozenset[str]:
    """A lexicon written as whitespace-separated words, so long lists stay readable."""
    return frozenset(text.split())


# Nouns that make a phrase a job or office ("the spokesman", "Foreign Minister").
ROLE_HEADS = lexicon(
    """
    secretary minister president vice-president premier chancellor spokesman
    spokeswoman spokesperson ambassador envoy emissary consul diplomat general
    admiral commander chief head director director-general chairman chairwoman chair
    chairperson senator sen congressman congresswoman lawmaker legislator mp
    governor gov mayor king queen prince princess emir amir sheikh sultan leader
    official officer adviser advisor aide counselor counsellor undersecretary
    under-secretary secretary-general attorney lawyer judge justice prosecutor
    colonel col lieutenant lt captain capt major maj sergeant sgt brigadier marshal
    commandant pope cardinal bishop archbishop imam ayatollah cleric mufti rabbi
    pastor priest reverend rev professor prof analyst expert researcher scholar
    fellow economist strategist historian scientist author co-author journalist
    correspondent reporter editor columnist commentator ceo cfo founder co-founder
    executive manager coach activist campaigner negotiator mediator inspector
    commissioner superintendent sheriff dictator ruler monarch worker representative
    rep delegate coordinator member candidate nominee president-elect deputy
    physician doctor surgeon nurse teacher student resident witness survivor
    militant speaker treasurer frontman singer songwriter guitarist drummer musician
    artist actor actress producer striker goalkeeper keeper midfielder defender
    forward winger player captain champion athlete runner sprinter cyclist swimmer
    boxer driver pilot farmer protester organiser organizer investigator biologist
    epidemiologist virologist lecturer partner investor trader banker owner landlord
    tenant voter pollster councillor councilor commissioner agent detective
    firefighter paramedic soldier veteran holder pacemaker referee umpire manager
    chef entrepreneur designer architect engineer consultant adviser auditor
    accountant regulator governor-general
    """
)
# Role nouns written before a name as a title (`Justice Helen Marsh`); other role
# nouns (`Holder`, `Singer`, `Driver`) are common surnames when capitalised.
TITLE_HEADS = lexicon(
    """
    secretary minister president vice-president premier chancellor spokesman
    spokeswoman spokesperson ambassador envoy general admiral commander chief
    director chairman chairwoman chair senator congressman congresswoman governor
    mayor king queen prince princess emir sheikh sultan judge justice prosecutor
    attorney colonel lieutenant captain major sergeant brigadier marshal pope
    cardinal bishop archbishop imam ayatollah cleric rabbi pastor reverend professor
    doctor speaker treasurer coach manager striker goalkeeper deputy co-author
    author official
    """
)
_AGENTIVE = ("er", "or", "ist", "man", "woman", "ian", "ant", "ent", "eer", "ee", "ive")
_NOT_AGENTIVE = lexicon(
    """
    other another under over after never ever whether either neither rather together
    later latter former water winter summer number order border paper letter matter
    power center centre corner member river dinner answer error minor major floor
    door motor factor sector mirror honor honour labor labour favor favour color
    colour behavior behaviour sponsor interior exterior superior inferior junior
    senior percent event comment moment statement agreement government parliament
    department president accident incident element argument content extent intent
    management payment treatment settlement environment investment development
    equipment document instrument segment fragment basement apartment tournament
    excitement parent client patient recent current different silent urgent innocent
    evident frequent present absent urgent relevant significant important elegant
    giant plant want distant constant instant relevant pleasant restaurant tenant
    peasant native massive active passive objective alternative initiative incentive
    offensive defensive extensive expensive executive detective relative narrative
    motive committee guarantee coffee fee refugee employee
    """
)


@lru_cache(maxsize=_WORD_CACHE)
def is_role_noun(word: str) -> bool:
    """A job noun: from the list, or a lower-case agent noun (`frontman`, `songwriter`)."""
    low = bare(word)
    if low in ROLE_HEADS:
        return True
    return (
        word.islower()
        and len(low) >= 5
        and low.endswith(_AGENTIVE)
        and low not in _NOT_AGENTIVE
        and low.isalpha()
    )


# Words that qualify a role head inside a role phrase ("Secretary of State").
ROLE_MODIFIERS = lexicon(
    """
    state foreign defense defence interior finance treasury justice health homeland
    security national intelligence military army navy naval air force affairs staff
    deputy assistant acting interim former top senior junior chief prime vice first
    special joint chiefs general press media aid human rights executive principal
    high deputy-chief regional local
    """
)
# Ranks and honorifics: titles kept apart from both the name and the role.
RANK_TITLES = lexicon(
    """
    rear vice admiral adm general gen lieutenant lt colonel col major maj captain
    capt sergeant sgt brigadier brig marshal commander cmdr corporal cpl private pvt
    mr mrs ms miss dr prof sir dame lord lady sen rep gov rev hon
    """
)
# Titles that say how to address someone rather than what they do.
HONORIFICS = lexicon("mr mrs ms miss dr prof sir dame lord lady rev hon")
HONORIFIC_GENDER: dict[str, Gender] = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
}
ROLE_GENDER: dict[str, Gender] = {
    "spokesman": "m",
    "chairman": "m",
    "congressman": "m",
    "king": "m",
    "prince": "m",
    "spokeswoman": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "queen": "f",
    "princess": "f",
}
NAME_PARTICLES = lexicon(
    """
    al al- el el- bin ibn bint abu abd abdul van von der den de del della di da du
    dos das le la st ter ten mac
    """
)
NAME_SUFFIXES = lexicon("jr jr. sr sr. ii iii iv")
PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "she": "f"}
OTHER_PRONOUNS = lexicon("i we you they it who which that this these those one")
DETERMINERS = lexicon("the a an his her its their our my your one")
CONNECTORS = lexicon("of to for")

# Capitalised words that are never part of a person's name.
NON_NAME_WORDS = lexicon(
    """
    the a an in on at by of to for from with without after before during since while
    when where why how what which who whom whose that this these those there here it
    its they them their we our you your i he she his her him as if although though
    because however meanwhile moreover also still now then today tonight yesterday
    tomorrow earlier later last next first second third asked speaking according
    back such some many most all both each every no not only even just and but or
    nor so yet said says told added than further instead rather indeed thus
    therefore despite following amid among between under over about against into
    through monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec gmt utc am pm breaking update
    updated photo video read more tags comments share listen live related
    """
)
# Words that mark a capitalised phrase as an organisation, place or group.
ORG_WORDS = lexicon(
    """
    house department ministry office agency council committee commission court
    parliament congress senate assembly government administration army navy forces
    force guard corps command brigade battalion front movement party union nations
    states state kingdom republic emirates coalition alliance organization
    organisation association institute foundation university college school center
    centre hospital bank fund company corporation corp inc ltd group network news
    times post journal herald tribune press radio television tv channel service
    services airlines airways club team board authority police headquarters embassy
    consulate mission station airport base mountain mount river dam lake sea ocean
    gulf valley province region city county district street square avenue road
    bridge palace hall tower church mosque cathedral island islands peninsula desert
    east west north south middle central northern southern eastern western islamic
    democratic national international global united european federal royal supreme
    affairs pentagon kremlin capitol white daesh isis isil nato reuters afp ap bbc
    cnn cbs nbc abc fox sputnik tass xinhua al-jazeera aljazeera jazeera guardian
    telegraph economist bloomberg website twitter facebook youtube ministry
    """
)
# Countries, demonyms, cities and groups that head news copy but name no person.
PLACE_WORDS = lexicon(
    """
    u.s us usa u.s.a america american americans iraq iraqi iraqis syria syrian
    syrians iran iranian iranians russia russian russians britain british uk u.k
    england english france french germany german turkey turkish israel israeli
    palestine palestinian egypt egyptian saudi jordan jordanian lebanon lebanese
    kurdish kurd kurds kurdistan afghan afghanistan pakistan pakistani india indian
    china chinese japan japanese korea korean ukraine ukrainian europe european arab
    arabs arabic qatar qatari kuwait kuwaiti bahrain bahraini morocco moroccan yemen
    yemeni libya libyan tunisia tunisian australia australian canada canadian italy
    italian spain spanish dutch netherlands belgium belgian poland polish sweden
    swedish norway norwegian denmark danish greece greek mexico mexican brazil
    brazilian nigeria nigerian kenya kenyan ethiopia ethiopian sudan sudanese
    somalia somali emirati uae oman omani sunni sunnis shia shiite shiites muslim
    muslims christian christians jewish western eastern washington moscow baghdad
    damascus tehran brussels london paris berlin beijing cairo ankara kabul
    jerusalem beirut riyadh doha kiev kyiv geneva vienna york mosul tikrit raqqa
    aleppo homs kirkuk kobani sinjar haditha diyala gaza africa african asia asian
    peshmerga hezbollah hamas taliban nusra
    """
)
MALE_NAMES = lexicon(
    """
    john james robert michael william david richard joseph thomas charles daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george
    edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry justin scott brandon benjamin samuel frank gregory greg raymond
    alexander patrick jack dennis jerry tyler aaron henry peter adam nathan barack
    vladimir sergei sergey bashar mohammed muhammad mohammad ahmed ahmad ali hassan
    hussein haider ibrahim abdullah omar khalid mahmoud recep emmanuel francois
    boris angelo massoud riad ashton chuck lloyd martin marcus tom tomas tomás kwame
    lucas stefan ben rui ian owen rupert declan gordon hamish paolo jesse alan dale
    luis carlos jose juan pedro miguel diego pablo javier antonio marco luca
    giovanni giuseppe pierre jean jacques louis hans klaus jurgen jürgen lars erik
    sven olaf joost jan piotr pawel ivan dmitry alexei mikhail yuri oleg igor kofi
    kwesi chinedu emeka tunde oluwaseun joseph samuel kiprono eliud haile abebe
    yusuf mustafa tariq bilal hamza karim rashid salman faisal kenji hiroshi takeshi
    wei jun chen raj rahul arjun vikram sanjay amit ravi anil suresh rajesh keith
    craig neil simon graham colin stuart alistair callum rory liam sean conor ciaran
    brendan terry tony bill bob jim joe mike steve dave chris matt nick rob tim andy
    phil
    """
)
FEMALE_NAMES = lexicon(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy
    lisa betty margaret sandra ashley kimberly emily donna michelle dorothy carol
    amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen amy
    shirley angela helen anna brenda pamela nicole samantha katherine christine emma
    catherine hillary theresa federica marie sophie fatima aisha maria ursula kamala
    nikki condoleezza madeleine jen victoria eleanor priya natalie fiona meera ruth
    anita hannah grace selam elin camille claire karin ramona dana denise gloria
    joanna alison alicia lucia lucía ingrid astrid sigrid annika greta heidi julia
    giulia francesca chiara elena sofia isabel isabella carmen pilar rosa ana
    beatriz gabriela valentina camila daniela mariana fernanda ines chloe charlotte
    olivia ava mia amelia isla ella lucy ellie jane anne ann annie kate katie rachel
    rebekah leah naomi esther miriam yasmin layla leila nadia amina zainab halima
    ngozi chiamaka wanjiru wairimu akosua abena ama efua mei ling yuki keiko sakura
    aiko sunita lakshmi anjali pooja deepa kavita olga irina natasha svetlana
    tatiana ludmila agnieszka katarzyna magdalena
    """
)


@lru_cache(maxsize=_WORD_CACHE)
def bare(word: str) -> str:
    """Lower-case a token and drop a possessive and outer dots, for lexicon look-ups."""
    low = fold_quotes(word).casefold()
    if low.endswith("'s"):
        low = low[:-2]
    return low.rstrip(".'")


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=_WORD_CACHE)
def is_role_word(word: str) -> bool:
    low = bare(word)
    return low in ROLE_HEADS or low in ROLE_MODIFIERS


def is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "s'", "s’"))


def is_acronym(word: str) -> bool:
    """All-capital tokens (BBC, ISIS, NATO) name organisations, not people."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and "." not in word


def _particle_joined(word: str) -> bool:
    """`al-Assad`, `bin-Laden`, `el-Sisi`: a lower-case particle joined to a name."""
    head, dash, rest = word.partition("-")
    return bool(dash) and head.casefold() + "-" in NAME_PARTICLES and rest[:1].isupper()


@lru_cache(maxsize=_WORD_CACHE)
def is_name_word(word: str) -> bool:
    """A token that can belong to a person's name: capitalised, not a known non-name."""
    if not word or not word[0].isalpha():
        return False
    low = bare(word)
    if low in NAME_PARTICLES or _particle_joined(word):
        return True
    if not is_capitalised(word) or is_acronym(word):
        return False
    if low in TITLE_HEADS or low in ROLE_MODIFIERS or low in RANK_TITLES:
        return False
    return low not in NON_NAME_WORDS


@lru_cache(maxsize=_WORD_CACHE)
def is_np_word(word: str) -> bool:
    """A token that may sit inside a speaker noun phrase (name, role, rank, place)."""
    low = bare(word)
    if low in DETERMINERS or low in CONNECTORS:
        return False
    if is_role_word(word) or low in RANK_TITLES or low in NAME_PARTICLES:
        return True
    if _particle_joined(word):
        return True
    return is_capitalised(word) and word[0].isalpha() and low not in NON_NAME_WORDS


def _is_org_word(word: str) -> bool:
    low = bare(word)
    return low in ORG_WORDS or low in PLACE_WORDS or is_acronym(word)


@dataclass(frozen=True)
class Mention:
    """A noun phrase that may denote a speaker, split into its parts."""

    kind: MentionKind
    text: str
    name: str | None = None
    role: str | None = None
    title: str | None = None
    gender: Gender | None = None
    definite: bool = True
    origin: str | None = None


def _split_name(words: Sequence[str]) -> int:
    """Index where the trailing person-name run of an NP starts (len(words) if none)."""
    start = len(words)
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        low = bare(word)
        if low in NAME_SUFFIXES and i == len(words) - 1:
            continue
        if low in NAME_PARTICLES and start < len(words):
            start = i
            continue
        if is_name_word(word) and low not in PLACE_WORDS and not is_possessive(word):
            start = i
            continue
        break
    while start < len(words) and bare(words[start]) in NAME_PARTICLES:
        start += 1
    return start


def _gender_of(first: str, titles: Sequence[str], roles: Sequence[str]) -> Gender | None:
    for word in titles:
        if bare(word) in HONORIFIC_GENDER:
            return HONORIFIC_GENDER[bare(word)]
    for word in roles:
        if bare(word) in ROLE_GENDER:
            return ROLE_GENDER[bare(word)]
    low = bare(first)
    if low in MALE_NAMES:
        return "m"
    if low in FEMALE_NAMES:
        return "f"
    return None


def _looks_like_org(words: Sequence[str]) -> bool:
    return any(_is_org_word(w) for w in words)


DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "kan", "yan", "ali", "aqi", "ani")


def _origin(words: Sequence[str]) -> str | None:
    """`Ethiopia's`, `Kenyan`, `the Italian`: where a person is from, as written."""
    for word in words:
        low = bare(word)
        place = low in PLACE_WORDS or low.endswith(DEMONYM_ENDINGS)
        if is_capitalised(word) and place and low not in ORG_WORDS and low not in ROLE_HEADS:
            return low
    return None


def parse_mention(words: Sequence[str], lowered_first: bool = False) -> Mention | None:
    """Read a speaker noun phrase such as `Pentagon spokesman Rear Admiral John Kirby`.

    `lowered_first` says the first word is only capitalised because it opens the
    sentence (`Songwriter Denise Carver`), so it cannot be part of a name.
    """
    words = [w for w in words if w]
    if not words:
        return None
    text = " ".join(words)
    shown = list(words)
    if lowered_first:
        words = [words[0].lower(), *words[1:]]
    first = bare(words[0])
    if len(words) == 1 and first in PRONOUN_GENDER:
        return Mention("pronoun", text, gender=PRONOUN_GENDER[first])
    if len(words) == 1 and first in OTHER_PRONOUNS:
        return Mention("other", text)
    body = list(words)
    determiner = None
    if bare(body[0]) in DETERMINERS:
        determiner = bare(body[0])
        body = body[1:]
        shown = shown[1:]
    if not body:
        return Mention("other", text)
    name_start = _split_name(body)
    if 0 < name_start < len(body) and bare(body[name_start - 1]) in CONNECTORS:
        name_start = len(body)
    name_words = body[name_start:]
    head = body[:name_start]
    title_start = len(head)
    while title_start > 0 and bare(head[title_start - 1]) in RANK_TITLES:
        title_start -= 1
    titles = head[title_start:]
    role_words = head[:title_start]
    has_role = any(is_role_noun(w) for w in role_words)
    role = " ".join(shown[:title_start]) if has_role else None
    if role is None and titles and not all(bare(t) in HONORIFICS for t in titles):
        role = " ".join(shown[len(role_words) : name_start])
    title = " ".join(titles) or None
    origin = _origin(role_words)
    if name_words and not _looks_like_org(name_words):
        gender = _gender_of(name_words[0], titles, role_words)
        definite = determiner not in {"a", "an"}
        name = " ".join(name_words)
        return Mention("name", text, name, role, title, gender, definite, origin)
    if has_role and not name_words:
        gender = _gender_of("", titles, role_words)
        definite = determiner not in {"a", "an", "one"}
        definite = definite and (determiner is not None or is_capitalised(body[0]))
        return Mention("role", text, None, role, title, gender, definite, origin)
    if determiner == "the" and len(body) == 1 and origin is not None:
        return Mention("role", text, None, None, None, None, True, origin)
    return Mention("other", text)


def _role_key(role: str) -> str:
    """Role words that carry meaning, for comparing `State Secretary` with `Secretary of State`."""
    keep = []
    for word in role.replace("-", " ").split():
        low = bare(word)
        if low in DETERMINERS or low in CONNECTORS or low in PLACE_WORDS:
            continue
        if low in {"top", "senior", "the"}:
            continue
        keep.append(low)
    return " ".join(sorted(keep))


def roles_match(mention_role: str, person_role: str) -> bool:
    """A role noun refers to a person when its words are (nearly) among the person's."""
    want, have = _role_key(mention_role), _role_key(person_role)
    if not want or not have:
        return False
    if set(want.split()) <= set(have.split()):
        return True
    return fuzz.token_set_ratio(want, have) >= 90


@dataclass
class Person:
    """One real person named in an article, with everything known about them."""

    name: str
    roles: list[str] = field(default_factory=list)
    gender: Gender | None = None
    origins: list[str] = field(default_factory=list)
    first_seen: int = 0
    last_seen: int = -1

    @property
    def first_name(self) -> str:
        return bare(self.name.split()[0])

    @property
    def role(self) -> str | None:
        return self.roles[0] if self.roles else None


def _surname_keys(name: str) -> list[str]:
    """`al-Assad` is also referred to as `Assad`."""
    last = bare(name.split()[-1])
    keys = [last]
    for prefix in ("al-", "el-", "ad-", "as-", "ar-", "an-", "ash-"):
        if last.startswith(prefix) and len(last) > len(prefix) + 1:
            keys.append(last[len(prefix) :])
    return keys


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one mention: a person (or none) and whether inferred."""

    person: Person | None
    mention: Mention
    inferred: bool


class PersonRegistry:
    """The people of one article, looked up by full name, surname, role or pronoun."""

    _RECENT = 50

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._by_name: dict[str, Person] = {}
        self._by_surname: dict[str, list[Person]] = {}
        self._by_first: dict[str, list[Person]] = {}
        self._recent: list[Person] = []

    def register(self, mention: Mention, position: int) -> Person | None:
        """Record a named mention; full names (or a titled surname) become a person.

        `Mr. Obama` alone makes a person `Obama`; a later `Barack Obama` completes it.
        """
        if mention.kind != "name" or mention.name is None:
            return None
        single = len(mention.name.split()) < 2
        existing = self._lookup_name(mention.name, position, known_only=False)
        if existing is None and not single:
            existing = self._titled_surname(mention.name)
            if existing is not None:
                self._rename(existing, mention.name)
        if existing is None and single and not (mention.title or mention.role):
            return None
        person = existing or self._add(mention.name, position)
        if mention.role and mention.role not in person.roles:
            person.roles.append(mention.role)
        if person.gender is None:
            person.gender = mention.gender
        if mention.origin and mention.origin not in person.origins:
            person.origins.append(mention.origin)
        return person

    def _titled_surname(self, name: str) -> Person | None:
        """A person so far known only by surname (`Mr. Obama`) whom a full name completes."""
        for person in self._by_surname.get(bare(name.split()[-1]), [])[-self._RECENT :]:
            if len(person.name.split()) == 1:
                return person
        return None

    def _rename(self, person: Person, name: str) -> None:
        self._by_first.setdefault(bare(name.split()[0]), []).append(person)
        person.name = name
        self._by_name[name.casefold()] = person

    def _add(self, name: str, position: int) -> Person:
        person = Person(name=name, first_seen=position)
        self.people.append(person)
        self._by_name[name.casefold()] = person
        for key in _surname_keys(name):
            self._by_surname.setdefault(key, []).append(person)
        self._by_first.setdefault(person.first_name, []).append(person)
        return person

    def _lookup_name(self, name: str, position: int, known_only: bool) -> Person | None:
        exact = self._by_name.get(name.casefold())
        if exact is not None:
            return exact
        parts = name.split()
        candidates = self._by_surname.get(bare(parts[-1]), [])[-self._RECENT :]
        if len(parts) > 1:
            first = bare(parts[0])
            candidates = [p for p in candidates if p.first_name == first]
        elif not candidates and known_only:
            candidates = self._by_first.get(bare(parts[0]), [])[-self._RECENT :]
        if not candidates:
            return None
        return max(candidates, key=lambda p: (p.last_seen, -p.first_seen))

    def learn_gender(self, person: Person, gender: Gender) -> None:
        """`Moreau, who saved four match points in her semi-final`: her means she."""
        if person.gender is None:
            person.gender = gender

    def see(self, person: Person, position: int) -> None:
        """Remember a mention or a quote: pronouns go to the people seen last."""
        person.last_seen = max(person.last_seen, position)
        if person in self._recent:
            self._recent.remove(person)
        self._recent.append(person)
        del self._recent[: -self._RECENT]

    def resolve(self, mention: Mention, position: int) -> Resolution:
        """Map a mention to a canonical person, or to nobody when it is not known."""
        if mention.kind == "name" and mention.name:
            person = self._lookup_name(mention.name, position, known_only=True)
            return Resolution(person, mention, False)
        if mention.kind == "pronoun":
            return Resolution(self._pronoun(mention.gender), mention, True)
        if mention.kind == "role" and mention.definite and mention.role:
            return Resolution(self._by_role(mention.role, position), mention, True)
        if mention.kind == "role" and mention.definite and mention.origin:
            return Resolution(self._by_origin(mention.origin, position), mention, True)
        return Resolution(None, mention, False)

    def _pronoun(self, gender: Gender | None) -> Person | None:
        """He or she: the person most recently named (or speaking) of that gender."""
        for person in reversed(self._recent):
            if person.gender in (None, gender):
                return person
        return None

    def _candidates(self, position: int) -> list[Person]:
        introduced = [p for p in self.people[-4 * self._RECENT :] if p.first_seen <= position]
        return [*reversed(self._recent), *reversed(introduced)]

    def _by_role(self, role: str, position: int) -> Person | None:
        """The person last seen (or else last introduced) with a matching role."""
        for person in self._candidates(position):
            if person.roles and any(roles_match(role, have) for have in person.roles):
                return person
        return None

    def _by_origin(self, origin: str, position: int) -> Person | None:
        """`the Ethiopian` after `Ethiopia's Selam Tadesse`: same country, same person."""
        stem = origin[:5]
        for person in self._candidates(position):
            if any(have[:5] == stem for have in person.origins):
                return person
        return None
