"""ETA from measured throughput, for the processing screen.

The engine reports progress per decoded segment, so its own ETA can sit still for
a long stretch (84 % "ETA 0:03" for 40 s). `Throughput` times the reports itself:
the rate is the progress made since the stage's first report divided by the time
since then, measured up to *now*; asked every second, the ETA grows while nothing
comes in and shrinks as work is done. Pure and clock-injected, so it is tested
without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Throughput:
    """Progress samples of one stage and the ETA they imply.

    Attributes:
        samples: (time s, fraction 0..1) of every report, in order.
    """

    samples: list[tuple[float, float]] = field(default_factory=list)

    def update(self, fraction: float, now: float) -> None:
        """A report: ``fraction`` done at time ``now`` (seconds, monotonic)."""
        fraction = max(0.0, min(1.0, fraction))
        if self.samples and fraction < self.samples[-1][1]:
            self.samples.clear()  # started again
        self.samples.append((now, fraction))

    @property
    def fraction(self) -> float:
        return self.samples[-1][1] if self.samples else 0.0

    def eta(self, now: float) -> float | None:
        """Seconds left at time ``now``; None before any progress was measured."""
        if len(self.samples) < 2:
            return None
        t0, f0 = self.samples[0]
        done = self.fraction - f0
        spent = now - t0
        if done <= 0 or spent <= 0:
            return None
        if self.fraction >= 1.0:
            return 0.0
        return (1.0 - self.fraction) * spent / done
