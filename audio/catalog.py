"""What kvale knows about Whisper models by name: where they come from, what they are good at.

Two families:

* OpenAI's Whisper (``tiny`` … ``large-v3-turbo``), fetched as CTranslate2 folders from the
  repositories faster-whisper itself knows (``faster_whisper.utils.download_model``).
* The Norwegian National Library's NB-Whisper (``nb-whisper-tiny`` … ``nb-whisper-large``),
  fine-tuned on Norwegian speech (bokmål and nynorsk output). Their Hugging Face
  repositories (``NbAiLab/nb-whisper-<size>``) keep the CTranslate2 weights in a ``ct2/``
  folder (``config.json``, ``model.bin``, ``vocabulary.json``) next to the transformers
  files; the tokenizer (``tokenizer.json``) sits at the top of the repository. Sources:
  https://huggingface.co/NbAiLab/nb-whisper-base/tree/main/ct2 and the model cards.

NB-Whisper selects the written form the way Whisper selects a language: the language token
``no`` gives bokmål, ``nn`` nynorsk (model card, "How to use": ``language='nn'`` for
nynorsk). kvale's guide language ``nb`` is Whisper's ``no`` (`audio.engines.normalize_language`).

Accuracy ranks (`accuracy_rank`) order models for a language by the published word error
rates, not by anything measured here: for Norwegian the NB-Whisper paper (Kummervold et
al., Interspeech 2024, arXiv:2402.01917) shows every NB-Whisper size below OpenAI's model of
the same size, and NB-Whisper large below OpenAI large-v3 (FLEURS bokmål 6.6 vs 10.4 % WER).
Nothing published compares across sizes and families, so beyond that tie-break the rank
follows parameters, the rule both model cards show within a family.
"""

from __future__ import annotations

from dataclasses import dataclass

NB_WHISPER_REPOS = {
    "nb-whisper-tiny": "NbAiLab/nb-whisper-tiny",
    "nb-whisper-base": "NbAiLab/nb-whisper-base",
    "nb-whisper-small": "NbAiLab/nb-whisper-small",
    "nb-whisper-medium": "NbAiLab/nb-whisper-medium",
    "nb-whisper-large": "NbAiLab/nb-whisper-large",
}
"""kvale name → Hugging Face repository of NB-Whisper (CTranslate2 files under ``ct2/``)."""

NB_SUBFOLDER = "ct2"
NB_TOP_FILES = ("tokenizer.json", "preprocessor_config.json")
"""Files outside ``ct2/`` that faster-whisper reads from a model folder (without
``tokenizer.json`` it would fetch OpenAI's tokenizer at load time, over the network)."""

NORWEGIAN = ("no", "nb", "nn")


@dataclass(frozen=True)
class ModelFacts:
    """Published facts about a model, for choosing one.

    Attributes:
        name: kvale's name (``base``, ``nb-whisper-small``).
        params_m: parameters in millions (model cards).
        family: ``openai`` or ``nb-whisper``.
        good_at: a short phrase for people: the languages it is good at.
    """

    name: str
    params_m: int
    family: str
    good_at: str


_OPENAI = {
    "tiny.en": 39,
    "tiny": 39,
    "base.en": 74,
    "base": 74,
    "small.en": 244,
    "small": 244,
    "medium.en": 769,
    "medium": 769,
    "large-v3-turbo": 809,
    "turbo": 809,
    "large-v3": 1550,
}
_NB = {
    "nb-whisper-tiny": 39,
    "nb-whisper-base": 74,
    "nb-whisper-small": 244,
    "nb-whisper-medium": 769,
    "nb-whisper-large": 1550,
}

NB_PUBLISHED_WER = {
    "nb-whisper-tiny": (16.8, 8.1),
    "nb-whisper-base": (13.2, 5.0),
    "nb-whisper-small": (10.8, 3.0),
    "nb-whisper-medium": (9.4, 2.4),
    "nb-whisper-large": (9.5, 2.2),
}
"""Published WER in % (normalised text) on Norwegian parliament speech
(``test_clean_stortinget_no``) and on read speech (``test_nst``), from each release
candidate's ``test_results.json`` in ``NbAiLabBeta/nb-whisper-<size>`` on the hub."""


def facts(name: str) -> ModelFacts | None:
    """Published facts for a model name; None for a folder or an unknown name."""
    if name in _NB:
        parliament, read = NB_PUBLISHED_WER[name]
        good = (
            f"Norwegian (bokmål, nynorsk), English; published WER {parliament} % parliament, "
            f"{read} % read speech"
        )
        return ModelFacts(name, _NB[name], "nb-whisper", good)
    if name in _OPENAI:
        good = "English" if name.endswith(".en") else "many languages; weak in Norwegian"
        if name in ("large-v3", "large-v3-turbo", "turbo", "medium"):
            good = "many languages, Norwegian fair"
        return ModelFacts(name, _OPENAI[name], "openai", good)
    return None


def is_nb_whisper(name: str) -> bool:
    """True for the NB-Whisper names kvale fetches by name."""
    return name in NB_WHISPER_REPOS


def supports(name: str, languages: tuple[str, ...], language: str | None) -> bool:
    """Whether a model can transcribe ``language`` (None = any; ``nb`` counts as ``no``)."""
    if language in (None, ""):
        return True
    code = "no" if language == "nb" else language
    return code in languages


def accuracy_rank(name: str, language: str | None) -> float:
    """Higher is more accurate for ``language``, from published results (see module doc).

    Unknown names (a folder) rank by nothing known: 0.
    """
    f = facts(name)
    if f is None:
        return 0.0
    rank = float(f.params_m)
    if language in NORWEGIAN and f.family == "nb-whisper":
        # every NB-Whisper size beats OpenAI's model of the same size on Norwegian (and
        # NB-Whisper large beats large-v3); nothing published compares across sizes
        rank += 1.0
    elif language not in NORWEGIAN and f.family == "nb-whisper":
        # fine-tuned for Norwegian (and English translation): not the choice for others
        rank *= 0.5 if language == "en" else 0.1
    return rank
