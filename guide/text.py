"""Text normalisation for tagging: casefold, strip punctuation, stem, drop stopwords.

Question detection and content similarity compare what was said with the guide's
questions. Both sides go through the same steps: casefold, punctuation and digits to
spaces (numbers carry no question identity), words stemmed with the Snowball stemmer
of the interview's language ("norwegian" for nb/nn/no, "english" otherwise), and a
small inline stopword list removed for the content tokens.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import snowballstemmer

log = logging.getLogger(__name__)

_NON_WORD = re.compile(r"[^\w]+|[\d_]+")

_NORWEGIAN = {"nb", "nn", "no", "nob", "nno", "nor", "norwegian", "norsk", "bokmål"}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "english": _wordset(
        """
        a an the and or but if so of to in on at for from with by about as into than
        then that this these those there here it its is are was were be been being
        am do does did have has had having i me my mine we us our you your yours he
        him his she her they them their what which who whom whose when where why how
        not no yes can could would should will shall may might must also just very
        really quite some any all more most much many such own same other too again
        oh um uh like okay ok yeah one get got go going thing things lot kind sort
        say said think know mean
        """
    ),
    "norwegian": _wordset(
        """
        og i jeg det at en et den til er som på de med han av ikke der så var meg
        seg men ett har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem
        oss opp man kan hans hvor eller hva skal selv sjøl her alle vil bli ble
        blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned
        skulle denne for deg si sine sitt mot å meget hvorfor dette disse uten
        hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår våre
        hver hvem vors hvis både bare enn fordi før mange også slik vært veldig litt
        mye jo liksom altså eh ehm nei ok okei egentlig får fått gjør gjøre synes
        tror tenker mener
        """
    ),
}


def stemmer_language(language: str | None) -> str:
    """The Snowball language for an interview or guide language code ("nb" → "norwegian")."""
    if language and language.strip().casefold() in _NORWEGIAN:
        return "norwegian"
    return "english"


@lru_cache(maxsize=4)
def _stemmer(name: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(name)


def normalise(text: str) -> str:
    """Casefolded text with punctuation and digits replaced by single spaces."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def words(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return normalise(text).split()


@lru_cache(maxsize=65536)
def _stem(word: str, name: str) -> str:
    return str(_stemmer(name).stemWord(word))


def stem(word: str, language: str | None) -> str:
    """One normalised word, stemmed."""
    return _stem(word, stemmer_language(language))


def tokens(text: str, language: str | None, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed content tokens of ``text`` (stopwords dropped unless ``keep_stopwords``).

    If every word is a stopword, the stems of all words are returned instead, so a
    question like "Hva trenger du?" never becomes empty.
    """
    name = stemmer_language(language)
    ws = words(text)
    stops = STOPWORDS[name]
    kept = ws if keep_stopwords else [w for w in ws if w not in stops]
    if not kept:
        kept = ws
    return [_stem(w, name) for w in kept]


def is_stopword(word: str, language: str | None) -> bool:
    """Whether a normalised word is on the language's stopword list."""
    return word in STOPWORDS[stemmer_language(language)]
