"""The tagger's parameters, in one place, with their meaning and units."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaggingOptions:
    """Parameters of the interview model (`guide.tagging.model`) and its evidence.

    The model is a hidden Markov model over the transcript's units (sentences, also cut
    at voice changes and long pauses). Its hidden state per unit is the guide question
    in force, whether this unit asks it, and the furthest question asked so far (so the
    guide "goes on" from there after a return). Probabilities are per unit; weights are
    log-likelihood ratios in nats (natural-log units: +1 makes a state e ≈ 2.7 times as
    likely; only differences between states matter).

    Units:
        pause_cut: seconds of silence between two words that end a unit (a turn change
            in a recording without sentence punctuation); in a segment where ASR wrote
            no punctuation and no voices are known, ``continued_gap`` does (turns follow
            within a second).
        fuzzy_ratio: rapidfuzz ratio (0–100) at which a heard word counts as a guide word
            (inflections and ASR slips).
        char_floor, char_span, char_margin: character-level likeness (`Matcher.char_scores`):
            a rapidfuzz ratio of ``char_floor`` maps to 0, ``char_floor + char_span`` to 1,
            scaled by how many points (``char_margin`` for full credit) it leads the other
            wordings of the guide.
        max_unit_tokens: a unit longer than this many content tokens is not scored as an
            asking (a long answer that happens to share words).

    Transitions (probabilities per unit):
        intro_stay: the talk before the first question goes on.
        first_decay: the first question asked is guide question k with weight
            ``first_decay ** k`` (most interviews begin at the beginning).
        ask_stay: an asking goes on into the next unit (a question in two sentences).
        unanswered: from an asking, another question is asked at once and this one
            gets no answer (a short probe read right after a long question); the moves
            are shared as from an answer.
        answer_stay: an answer goes on.
        reask: the interviewer asks the question in force again (a probe, a rephrasing).
        skip_decay: moving ahead, skipping ``d`` questions beyond the next unasked one
            has weight ``skip_decay ** d``.
        skip_far: of the moves ahead, the share spread evenly over every question ahead
            (a jump to a later theme), whatever the distance.
        back: of the moves to another question, the share that go back to one at or
            before the furthest asked (a return, or a pair asked out of order).
        back_near: of those, the share that go to a question close behind, weighted by
            ``skip_decay`` per step; the rest spread evenly over all earlier questions.
        back_theme: how much less likely a move back is when it goes to a question
            outside the theme (guide section) of the furthest question asked: an
            interviewer reorders the questions of the theme under way more often than
            they go back to pick up one skipped in an earlier theme (the same question
            in two sections, "In relation to your manager?" in 2 and 3, is then the one
            of the theme under way). A return the interviewer announces ("I would like
            to go back to …") goes to any earlier question alike.
        swap: when the question just before the furthest asked was skipped on the way
            to it, the share of the moves from an answer that take it up (a pair asked
            out of order: "2.4" before "2.3").
        heading_asked: how much less likely a move is to a theme heading that is not
            phrased as a question ("Informasjon"): such a title is rarely asked aloud.
        theme_asked: how much more likely the question that opens a theme (the
            theme's own, or the first under a theme title) is asked when its turn
            comes than a follow-up: a theme's main question is seldom left out, its
            follow-ups are asked as the talk needs them. It weighs the moves to the
            question, and passing it over costs 1 − theme_asked × (1 − skip_decay):
            with 1.5, a theme's question is asked three times in four where a
            follow-up is asked one in two (below 1 / (1 − skip_decay)).

    Emissions (log-likelihood ratios, nats):
        lexical: times a unit's lexical/character-level score s (0–1) as an asking of
            a question (`Matcher.ask_scores`, also over a unit and the next one when
            ASR cut a question in two), for the asking state of that question; above
            s = 0.5 a long question counts up to √(content words / 3) times more (at
            most 2): heard whole, it is more evidence than a two-word one.
        lexical_probability: share of the transcript's median unit probability (ASR's
            confidence) at which the words count in full, for the lexical score and the
            question form; below it they count in proportion (Whisper, prompted with
            the guide, writes guide questions where nobody asked them, with low word
            probabilities).
        form_asking, form_not_asking: a unit phrased as a question (a "?", or opening
            like one: `units.question_like`) in an asking state; a unit not phrased as
            one in an asking state.
        form_in_answer: a unit phrased as a question in an answer state or the intro.
        form_share: the share of a transcript's units phrased as a question at and
            above which the form weights count in full; below it they count in
            proportion (ASR on hard audio may write no "?" and garble the
            interrogatives: then a statement's form says little about asking).
        form_per_question: or, with at least this many units phrased as a question per
            guide question, the form weights count in full too: a transcript of long
            answers has few questions for its length, yet writes each one as a question
            (`evidence.written_questions`).
        topic_cue: a unit phrased as a question that says, or follows a sentence in
            its voice that says, the talk moves on to another theme ("Let's talk about
            the good sides.", `cues.topic_cue` +1), in the asking state of a question
            that follows up within a theme (not its own, nor the first under a theme
            title); a follow-up ("What about …?", "… also …", −1) in the asking state of
            a question that opens a theme. Subtracted: a cue tells the asking's kind,
            not whether the unit asks a guide question at all (an unscripted probe,
            "What about your family?", asks none).
        probe_cue: a unit that asks for more of the answer under way, as the
            interviewer's own probing, specifying or interpreting questions do ("Could
            you say something more about that?", "Hva mener du med det?",
            `cues.probes`): in the answer states, and, times (1 − its lexical score), with
            the sign turned in each question's asking state (such a probe asks no
            question of the guide; it is in the answer, whoever's voice).
        content: times the share of a question's words (question, probes, keywords)
            heard in a unit, for the answer state of that question.
        learned: times the log-likelihood ratio (nats) of a unit's words under this
            interviewer's earlier askings of a question (`learned.AskingModel`), for
            that question's asking state; learned_prior: that model's Dirichlet prior
            weight μ, in tokens. The first values tried, on the written sets A and B
            (`bench/learned.py`); set C held out.
        intro: times the unit's likeness to the guide's intro script (0 up to 60 % of
            its content words in the script, 1 at all of them), for the state before
            the first question.
        voice_asking, voice_not_asking: the interviewer's voice in an asking state; the
            participant's voice in an asking state.
        voice_in_answer: the interviewer's voice in an answer state (back-channels and
            remarks happen, so milder).
        voice_in_intro: per second of the participant's speech, in the intro (before
            the first question the participant says little: a greeting, a yes); an
            interviewer's unit answered at length (``follow_long``) weighs ``-follow``
            in the intro (it asks something, so the intro is over).
        continued, continued_gap: a unit not phrased as a question that begins less
            than ``continued_gap`` seconds after the unit before it ends, in the same
            voice or where the voices are not known (the same turn going on), in an
            asking state.
        short: a unit of one or two words not phrased as a question (a back-channel,
            an acknowledgement) in an asking state; times (1 - its lexical score) for
            each question: the guide's own short questions ("Fra kollegaer", with the
            "?" ASR did not write) are askings, not back-channels.
        follow_long: seconds of other voices' speech after a unit that mark it as asking
            something (``follow`` weight for its asking, ``-follow`` in the intro and in
            an answer, but for a back-channel, after which the answer goes on); a unit
            followed at once by more of its own voice weighs ``-follow`` / 2.
        press_early, press_late: a press more than 1 s before a unit counts half, up to
            ``press_early`` s more; one more than 2 s after the unit's end fades as
            exp(-(delay / ``press_late``)²) (seconds).
        press_fade: seconds over which an early press's evidence fades beyond
            ``press_early``.
        press_strength: a marked question coming into force within the window of its
            press weighs ``press_missed`` + ``press_strength`` × closeness (0–1), where a
            question no press marks there weighs ``press_missed`` (the evidence sits on
            the model's transitions into a question, not on every unit near the press).
        press_missed: in an interview with key presses, how likely a question comes
            into force with no press of it near, against the talk going on with the
            question in force: the share of askings an interviewer may leave unpressed,
            and alike for every question (one pressed elsewhere, at its first asking or
            a return, or one never pressed): a missing press is as likely anywhere. Half:
            some interviewers press for each theme's question only, and through
            transcription an asking's own evidence is weaker (at a quarter, askings left
            unpressed in the bench's transcribed interviews were lost). An interview
            with no presses at all (an import) has no such factor.
        press_unformed: how much less likely a press marks a unit not phrased as a
            question than one that is (a press is shared among the units it could mark).
        return_cue: likelihood ratio of a move back to a question before the furthest
            asked, at a unit that says the talk goes back to something said before
            ("I would like to go back to …", "du nevnte …": `cues.returns_to`) and at
            the unit after it.
        manual: penalty on every state whose question differs from a manual tag over the
            unit (manual tags always win; this keeps the rest consistent with them).
        echo: weight (0–1) of an earlier asking said again, as a wording of its
            question, at a return the interviewer announces (`echo.return_echo`: the
            askings from a first decoding, the words' likeness 0–1 taken as the guide's
            wording is); 0 leaves returns to the guide's wording and the order.

    Voices:
        voice_agreement: the share of the asking evidence one voice must hold to be
            decided the interviewer's.
        voice_min_share: a voice must take at least this share of the turns (runs of
            one voice's units): a voice heard for a moment (a stray cluster) is no party
            to the talk, while an interviewer who asks briefly before long answers takes
            half the turns in a few per cent of the time.
        voice_turn: asking evidence of a unit that another voice answers at length
            (``follow_long`` s or more), whatever its words say: who speaks before long
            answers, when the words show no question (added to the unit's asking
            probability and its question form).

    Confidence:
        confidence_temperature: the passage confidence is the posterior of its question
            with every log-probability of the model divided by a temperature: this
            over the transcript's mean word probability (`tagger.mean_word_probability`:
            ASR's words count as evidence as far as they are likely right). The labels are
            the same at any temperature; it only makes the posterior mean what it says
            (of the words tagged with confidence 0.8, about 80 % right). Fitted on the
            tuning wordings of the text-level bench (0.5 of 1, 0.5, 0.3), measured on
            the held-out ones and through transcription (bench/tagging_calibration.py).
        label_temperature: where no key press pins the decoding (an import), each unit
            is labelled with its most probable question in the posteriors at this
            temperature (posterior decoding), not with the most likely path's (0 keeps
            the path's). Without presses many readings a question or two apart are
            nearly alike, and the question most probable over all of them is more often
            right; at the calibrated posteriors (about 0.5) it also breaks runs a
            researcher would name (an asking ASR wrote without "?" read as the question
            before, not moving the interview on), so the labels are taken colder: at
            0.25 those tests hold (at 0.35 two of them do not).

    Content tags:
        content_secondary: content likeness (0–1) from which a participant passage gets
            another question as a secondary tag.
    """

    pause_cut: float = 1.5
    fuzzy_ratio: float = 80.0
    char_floor: float = 55.0
    char_span: float = 40.0
    char_margin: float = 20.0
    max_unit_tokens: int = 30

    intro_stay: float = 0.8
    first_decay: float = 0.5
    ask_stay: float = 0.25
    unanswered: float = 0.05
    answer_stay: float = 0.8
    reask: float = 0.01
    skip_decay: float = 0.5
    skip_far: float = 0.1
    back: float = 0.15
    back_near: float = 0.5
    back_theme: float = 0.2
    heading_asked: float = 0.3
    theme_asked: float = 1.5
    swap: float = 0.2

    lexical: float = 7.0
    lexical_probability: float = 0.6
    form_asking: float = 1.5
    form_not_asking: float = -1.5
    form_in_answer: float = -2.5
    form_share: float = 0.15
    form_per_question: float = 0.5
    topic_cue: float = 1.0
    probe_cue: float = 3.0
    content: float = 2.0
    learned: float = 0.3
    learned_prior: float = 10.0
    intro: float = 4.0
    voice_asking: float = 0.5
    voice_not_asking: float = -6.0
    voice_in_answer: float = -1.5
    voice_in_intro: float = -0.2
    short: float = -2.0
    continued: float = -1.5
    continued_gap: float = 0.3
    follow_long: float = 4.0
    follow: float = 1.0
    press_early: float = 5.0
    press_late: float = 10.0
    press_fade: float = 2.0
    press_strength: float = 600.0
    press_missed: float = 0.5
    press_unformed: float = 0.3
    return_cue: float = 50.0
    manual: float = 30.0
    echo: float = 1.0

    voice_agreement: float = 0.65
    voice_min_share: float = 0.1
    voice_turn: float = 0.5

    confidence_temperature: float = 0.5
    label_temperature: float = 0.25

    content_secondary: float = 0.6

    def __post_init__(self) -> None:
        """Raises ValueError where a question would be more than certain to be asked
        when its turn comes (``theme_asked`` × (1 − ``skip_decay``) ≥ 1), where
        ``press_missed`` is no share of askings (not above 0 and at most 1), or where
        ``label_temperature`` is below 0."""
        if not 0 < self.press_missed <= 1:
            raise ValueError(
                f"press_missed {self.press_missed} must be above 0 and at most 1: it is the "
                "share of askings an interviewer may leave unpressed"
            )
        if self.label_temperature < 0:
            raise ValueError(
                f"label_temperature {self.label_temperature} must be 0 (the most likely "
                "path's labels) or above"
            )
        if self.theme_asked * (1 - self.skip_decay) >= 1:
            raise ValueError(
                f"theme_asked {self.theme_asked} must be below 1 / (1 - skip_decay) = "
                f"{1 / (1 - self.skip_decay):g}: a theme's question can be asked at most "
                "every time its turn comes"
            )
