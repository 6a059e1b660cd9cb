"""Waiting in Pilot tests, with what the app was doing when a wait runs out.

A wait that times out on a loaded machine says nothing about why; this one names the
screen stack, the notifications, the interview session's state and every thread's stack
(``faulthandler``), so that a hang seen once in CI can be found from its log.
"""

from __future__ import annotations

import faulthandler
import sys
import threading
import time
from collections.abc import Callable
from typing import Any


def describe(app: Any) -> str:
    """The app's screens, notifications and session state, on one line."""
    stack = [type(s).__name__ for s in app.screen_stack]
    notes = [n.message for n in getattr(app, "_notifications", [])]
    session = getattr(app, "session", None)
    state = ""
    if session is not None:
        recorder = getattr(session, "recorder", None)
        state = (
            f", session started={session.started} stopped={session.stopped} "
            f"recorder={getattr(recorder, '_state', None)} "
            f"transcriber={'yes' if getattr(session, 'transcriber', None) else 'no'}"
        )
    workers = [f"{w.name}:{w.state.name}" for w in app.workers]
    return f"screens {stack}, notifications {notes}, workers {workers}{state}"


async def wait_until(
    pilot: Any, condition: Callable[[], object], timeout: float, step: float = 0.1
) -> None:
    """Pause the app until ``condition()`` is true.

    Raises:
        AssertionError: not true within ``timeout`` seconds; the message describes the
            app, and every thread's stack goes to stderr (captured by pytest).
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
            raise AssertionError(f"timed out after {timeout} s: {describe(pilot.app)}")
        await pilot.pause(step)


def hold_processing(session: Any) -> threading.Event:
    """Hold ``session.process`` (run by the processing screen's worker) until the returned
    event is set, so that a test can read the processing screen before it moves on: a
    short recording is otherwise processed between two polls on a loaded machine."""
    go = threading.Event()
    real = session.process

    def held(*args: Any, **kwargs: Any) -> Any:
        go.wait(120)
        return real(*args, **kwargs)

    session.process = held
    return go


async def consent_and_start(app: Any, pilot: Any, timeout: float = 5.0) -> Any:
    """On the new-interview form shown, tick both consents and start; wait for the
    conduct screen and return the app's interview session."""
    from textual.widgets import Checkbox

    from tui.screens.conduct import ConductScreen

    form = app.screen
    form.query_one("#takes-part", Checkbox).value = True
    form.query_one("#audio-consent", Checkbox).value = True
    form.action_start()
    await wait_until(pilot, lambda: isinstance(app.screen, ConductScreen), timeout)
    assert app.session is not None
    return app.session


async def footer_laid_out(pilot: Any, screen: object = None, timeout: float = 10.0) -> None:
    """Pause until the app shows ``screen`` (any screen but the default one, if None)
    and its footer's keys are laid out: the screen is pushed once the app has mounted,
    and laid out after, which on a loaded machine takes more than one pause (a CI run
    beside two benchmarks once read an empty footer).

    Raises:
        AssertionError: not within ``timeout`` seconds (`wait_until`).
    """
    from textual.widgets._footer import FooterKey

    app = pilot.app

    def shown() -> bool:
        if screen is not None and app.screen is not screen:
            return False
        if screen is None and len(app.screen_stack) < 2:
            return False
        return any(k.region.width for k in app.screen.query(FooterKey))

    await wait_until(pilot, shown, timeout)
