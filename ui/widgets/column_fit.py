"""How the columns of a list share its width: each as wide as its content, headers never cut.

Pure arithmetic on pixel widths, so it is tested without widgets; ``TableView`` measures and
applies it (``ui.widgets.tables``).
"""

from __future__ import annotations

from collections.abc import Sequence


def fit_widths(
    wanted: Sequence[int],
    minimum: Sequence[int],
    available: int,
    stretch: Sequence[int] = (),
    comfortable: Sequence[int] | None = None,
) -> list[int]:
    """Column widths for a viewport *available* pixels wide.

    *wanted*: what each column's content needs (header and longest texts, capped);
    *minimum*: below this a column's header would be cut; *comfortable*: what a column keeps
    as long as the others can still give (a name column stays readable while the groups
    column is cut); *stretch*: the columns that take what is left over (all columns in
    proportion when empty).

    Room enough: every column gets what it wants, the stretching ones share the rest. Too
    narrow: the columns give up width in proportion to what they have above their
    comfortable width (the long text columns most), then above their minimum, never below
    it; only when even the minimums do not fit do the widths add up to more than
    *available* (the list then scrolls sideways).
    """
    if not wanted:
        return []
    wants = [max(w, m) for w, m in zip(wanted, minimum, strict=True)]
    total = sum(wants)
    if total <= available:
        receivers = list(stretch) or list(range(len(wants)))
        return _share(wants, available - total, receivers)
    if comfortable is not None:
        keep = [max(m, min(c, w)) for m, c, w in zip(minimum, comfortable, wants, strict=True)]
        if sum(keep) <= available:
            return _shrink(wants, keep, available)
        wants = keep
    return _shrink(wants, list(minimum), available)


def _shrink(wants: list[int], minimum: list[int], available: int) -> list[int]:
    """Take ``sum(wants) - available`` pixels in proportion to each column's slack."""
    total = sum(wants)
    slack = [w - m for w, m in zip(wants, minimum, strict=True)]
    deficit = total - available
    total_slack = sum(slack)
    if total_slack <= deficit:
        return list(minimum)
    cuts = [deficit * s // total_slack for s in slack]
    widths = [w - c for w, c in zip(wants, cuts, strict=True)]
    # Integer division leaves a few pixels: take them from the columns with slack left.
    over = sum(widths) - available
    for index in sorted(range(len(widths)), key=lambda i: -(widths[i] - minimum[i])):
        if over <= 0:
            break
        take = min(over, widths[index] - minimum[index])
        widths[index] -= take
        over -= take
    return widths


def _share(widths: list[int], extra: int, receivers: Sequence[int]) -> list[int]:
    """Give *extra* pixels to *receivers* in proportion to their widths."""
    result = list(widths)
    if extra <= 0 or not receivers:
        return result
    base = sum(widths[i] for i in receivers) or len(receivers)
    given = 0
    for index in receivers:
        share = extra * (widths[index] or 1) // base
        result[index] += share
        given += share
    result[receivers[-1]] += extra - given
    return result
