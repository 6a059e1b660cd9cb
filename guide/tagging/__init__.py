"""Tag every passage of a transcript with the guide question it answers.

Tagging is decoding: the transcript is cut into units (`guide.tagging.units`:
sentences, also cut at voice changes and long pauses), every piece of evidence about
each unit becomes a likelihood of the model's states (`guide.tagging.evidence`: key
presses, the words and letters of the guide's questions, question form, voices, the
content of the answers, the intro script), and a hidden Markov model over the guide
(`guide.tagging.model`: which question is in force, whether a unit asks it, the
furthest asked so far) is decoded with Viterbi for the labels and forward–backward for
each unit's posterior, which is the passage confidence. Where the interviewer says the
talk goes back, the askings a first decoding finds are wordings of their questions in
this interview (`guide.tagging.echo`): the return that says one again goes to it.
Parameters: `TaggingOptions`.

Manual tags (`retag_passage`) always win and survive re-tagging; `follow_manual` tags
the other passages again with them as fixed points, so one correction mends the
passages the same misreading set wrong.
"""

from guide.tagging.follow import follow_manual, tagger_speakers
from guide.tagging.options import TaggingOptions
from guide.tagging.tagger import (
    Detection,
    detect_questions,
    interviewer_voice,
    pins,
    retag_passage,
    tag_transcript,
)

__all__ = [
    "Detection",
    "TaggingOptions",
    "detect_questions",
    "follow_manual",
    "interviewer_voice",
    "pins",
    "retag_passage",
    "tag_transcript",
    "tagger_speakers",
]
