"""What a purge or a withdrawal deleted, told in the researcher's language (the reports are
built by hand here; the store's tests make real ones and read the same text)."""

from __future__ import annotations

from store.model import PurgeReport, WithdrawalReport
from tui.deletion_report import deletion_text
from tui.i18n import set_language

COUPLE = WithdrawalReport(
    code="I3-2",
    interviews=("I3",),
    passages=4,
    words=1234,
    others_words=1,
    unknown=2,
    files=1,
    bytes=48_000,
    codebook_items=3,
    exports_removed=1,
    outside_exports=("/home/kari/eksport/alle.docx",),
    imported=("I3",),
)
ONE = PurgeReport(code="I1", interviews=("I1",), files=1, bytes=2_000_000)


def test_a_withdrawal_in_english() -> None:
    text = deletion_text(COUPLE)
    assert text.startswith("Deleted what participant I3-2 said in 1 interview: 1 234 words.")
    assert "4 passages were theirs alone" in text
    assert "1 of the words was in another speaker's passage" in text  # singular
    assert "2 passages have no known speaker" in text
    assert "What the others said is kept, and they keep their numbers." in text
    assert "kvale keeps no recording of I3 (it was imported)" in text
    assert text.endswith("Delete them (and any copies):\n  /home/kari/eksport/alle.docx")


def test_a_withdrawal_and_a_purge_in_norwegian() -> None:
    set_language("nb")
    text = deletion_text(COUPLE)
    assert text.startswith("Slettet det deltaker I3-2 sa i 1 intervju: 1 234 ord.")
    assert "Det de andre sa, beholdes, og de beholder numrene sine." in text
    assert "\n  /home/kari/eksport/alle.docx" in text
    assert "Deleted" not in text and "passage" not in text
    purged = deletion_text(ONE)
    assert purged.startswith(
        "Slettet 1 intervju med deltaker I1. 1 opptaksfil slettet (2 000 000 byte)."
    )
    assert "kvale kjenner ikke til noen eksport av dem utenfor prosjektmappen." in purged
    set_language("nn")
    assert deletion_text(ONE).startswith("Sletta 1 intervju med deltakar I1.")
