"""`kvale models list` and `kvale models calibrate`: the models here, their speed on this
computer, and which one to choose (`audio.calibrate`)."""

from __future__ import annotations

import argparse
import sys

from kvale_errors import KvaleError


def cmd_models_list(args: argparse.Namespace) -> int:
    """The models on this computer with their speed here, and which one to choose."""
    from audio.calibrate import LIVE_RTF, good_at, recommend, speed_of
    from audio.models import list_models
    from tui.model_advice import LANGUAGE_NAMES

    models = list_models()
    speeds = {}
    for m in models:
        try:
            if args.measure and speed_of(m, measure=False) is None:
                print(f"kvale: measuring the speed of {m.name} on this computer…", file=sys.stderr)
            speed = speed_of(m, measure=args.measure)
        except KvaleError as exc:
            print(f"kvale: {m.name} could not be measured: {exc.sentence}", file=sys.stderr)
            speed = None
        if speed is not None:
            speeds[m.name] = speed
    print(f"{'model':<18} {'where':<12} {'size':>8}  {'RTF here':>8}  {'live':<5} good at")
    for m in models:
        size = f"{m.size_bytes / 1e6:,.0f} MB" if m.size_bytes else "-"
        sp = speeds.get(m.name)
        rtf = f"{sp.rtf:.3f}" if sp else "-"
        live = ("yes" if sp.keeps_up_live else "no") if sp else "?"
        print(f"{m.name:<18} {m.source:<12} {size:>8}  {rtf:>8}  {live:<5} {good_at(m)}")
    print(
        f"\nRTF: seconds of processing per second of speech, measured here; 'live' means "
        f"at most {LIVE_RTF} (fast enough to transcribe during the interview)."
    )
    languages = [args.language] if args.language else ["nb", "nn", "en"]
    for lang in languages:
        rec = recommend(models, speeds, lang)
        print(f"Recommended for {LANGUAGE_NAMES.get(lang, lang)}: {rec.sentence()}")
    return 0


def cmd_models_calibrate(args: argparse.Namespace) -> int:
    """Measure the speed of one model (or every model here) again."""
    from audio.calibrate import calibrate
    from audio.models import list_models

    names = [args.name] if args.name else [m.name for m in list_models()]
    for name in names:
        print(f"kvale: measuring the speed of {name} on this computer…", file=sys.stderr)
        speed = calibrate(name)
        print(f"{name}: RTF {speed.rtf:.3f} ({speed.minutes_per_hour():.1f} min per hour)")
    return 0
