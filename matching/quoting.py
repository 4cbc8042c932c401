"""Which words of a query may be quoted in reasons, and how: the word lists and the per-word
answers of `matching.explain`, cached (queries repeat their words and tokens)."""

from __future__ import annotations

import re
from functools import lru_cache

from .text import MAX_TOKEN_LEN, fold, is_content_word, normalize_word, tokens

# Words that say how or how much, not what: never quoted (they still count in scores).
QUIET_WORDS = frozenset(
    normalize_word(w)
    for w in """
    ponctuel ponctuelle ponctuels ponctuelles ponctuellement cadrer cadrage plusieurs deja
    besoin besoins aide aider recherche recherchons cherche cherchons souhaite souhaitons
    souhaiterait souhaiterions agent agents collectivite collectivites commune communes
    mission missions jour jours mois semaine semaines an ans annee annees temps
    quelques certains certaines divers diverses autre autres nouveau nouvelle nouveaux
    nouvelles premier premiere prochain prochaine actuel actuelle actuellement bien mieux
    faire mettre place mise besoin appui accompagner accompagnement soutien renfort
    competence competences experience experiences expertise personne profil equipe
    service services travail travailler poste projet projets sujet sujets dossier dossiers
    lancer lance lances lancee lancees attendu attendue attendus attendues demande demandes
    demander pris prise prises charge porte portee portes portees prevu prevue prevus prevues
    realiser realise realisee mener mene menee assurer assure permettre permet partir part
    cours fin debut suite etre avoir faire fait faite peut pouvoir doit devoir
    rediger redige redigee redaction elaborer elaboration etude etudes inventaire creer
    creation realisation
    """.split()
)
# Words of the names of the French regions (metadata, not topics).
REGION_WORDS = frozenset(
    """
    auvergne rhone bourgogne franche comte bretagne corse normandie aquitaine occitanie
    provence azur hauts ile guadeloupe martinique guyane reunion mayotte
    """.split()
)
def place_words(meta) -> set[str]:
    names = meta.get("place_names") if meta else None
    if not names:
        return set()
    if isinstance(names, str):
        names = [names]
    return {normalize_word(w) for n in names for w in tokens(str(n))}


@lru_cache(maxsize=200_000)
def content_parts(token: str) -> tuple[str, ...]:
    """The content words of one token of a text as written (folding may split it: "ﬁ" ligatures,
    apostrophes); tokens repeat from query to query."""
    return tuple(w for w in fold(token).split() if len(w) <= MAX_TOKEN_LEN and is_content_word(w))


@lru_cache(maxsize=65_536)
def words_of_tag(tag: str) -> tuple[str, ...]:
    return tuple(tokens(tag))


@lru_cache(maxsize=200_000)
def never_quoted(word: str) -> bool:
    """A word of no topic, a region's, or a number (whatever the query)."""
    norm = normalize_word(word)
    return norm in QUIET_WORDS or norm in REGION_WORDS or word.isdigit()


@lru_cache(maxsize=200_000)
def quoted(token: str) -> str:
    """A token as quoted: acronyms (two capitals or more) as written, other words in lower case."""
    return token if sum(c.isupper() for c in token) >= 2 else token.lower()


def quoted_match(match: re.Match) -> str:
    return quoted(match.group())
