"""The pace of a mailing: a rate limit, and pauses before trying a temporary failure again.

- **Rate**: at most ``rate_per_minute`` deliveries in any 60 seconds (the mail settings, 20 by
  default; ``.eml`` drafts have none). A sliding window: a small mailing goes out at once, a
  big one in steps, as providers that throttle or block faster senders expect.
- **Retries**: a temporary refusal (a 4xx answer such as "451 try again later") or a
  connection lost before the message was handed over is tried again after ``RETRY_DELAYS``
  (5, 15 and 45 seconds: three more tries in about a minute); then the message fails (a
  refusal) or the batch stops (the server is gone), as before.
- **Waiting** is done by ``pause``, in short steps that look at the caller's ``cancelled``, so
  Stop in the window ends a wait within a tenth of a second.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

Cancelled = Callable[[], bool]
# (seconds, cancelled) -> True when the wait was cut short by cancelling.
Pause = Callable[[float, Cancelled | None], bool]

RETRY_DELAYS: tuple[float, ...] = (5.0, 15.0, 45.0)
WINDOW_SECONDS = 60.0
_STEP = 0.1


def pause(seconds: float, cancelled: Cancelled | None = None) -> bool:
    """Wait *seconds* unless *cancelled* says stop first; True if it did."""
    deadline = time.monotonic() + max(0.0, seconds)
    while True:
        if cancelled is not None and cancelled():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(_STEP, left))


def _monotonic() -> float:
    return time.monotonic()


class RateLimiter:
    """At most *per_minute* events in any ``WINDOW_SECONDS``; 0 means no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] | None = None) -> None:
        self.per_minute = max(0, int(per_minute))
        self._clock = clock or _monotonic
        self._recent: deque[float] = deque()

    def wait_time(self) -> float:
        """Seconds to wait before the next event may happen (0.0: now)."""
        if not self.per_minute:
            return 0.0
        now = self._clock()
        while self._recent and now - self._recent[0] >= WINDOW_SECONDS:
            self._recent.popleft()
        if len(self._recent) < self.per_minute:
            return 0.0
        return WINDOW_SECONDS - (now - self._recent[0])

    def record(self) -> None:
        if self.per_minute:
            self._recent.append(self._clock())


__all__ = ["RETRY_DELAYS", "Pause", "RateLimiter", "pause"]
