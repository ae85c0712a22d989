"""One signal per event: which detections belong together, and which one speaks for them. No database.

Several detectors judge the same weeks (EARS C1, C2, C3, the surge rule, Farrington …), the same
reports count in a kecamatan's series and in its kabupaten's, and the scan finds the same burst
as a village cluster. An analyst wants one signal for one event, listing every detector that agrees.

**The rule.** A new detection joins an existing event when all of these hold:

* same isu;
* nested regions: the same region, or one inside the other (a kecamatan and its kabupaten, a
  village cluster's centre and its kecamatan or kabupaten); two kecamatan of one kabupaten are
  never joined to each other (each is its own event, even when their kabupaten also alarms: the
  kabupaten's detection joins the first of them);
* overlapping periods: the weeks the detection counts (the current week, or the two weeks of the
  two-week Farrington sum, the CUSUM run, the change-level window) meet the event's weeks;
* the same TKD decides for both regions (``detect.py`` checks it): reviewing the event reviews
  its members, so whoever may review the event may review each of them;
* the event is not the death rule's (``deaths.py`` keeps its own signal per death).

The detection run writes the kecamatan series first, then the kabupaten, then the scan's
clusters, so an event is named after the smallest region whose counts alarm.

**The headline.** The event shows one observed and one expected value, those of the first of
its detections (on the event's own region and plain count series when there is one) in
``PREFERENCE``: Farrington flexible first, because its expected value is the only one that
models the season and the trend over up to five years of the same weeks and down-weights past
outbreaks; then its two-week sum; then EARS C2 and C3 (the mean of weeks 3 to 9 back: the two
weeks of guard keep the start of the outbreak out of "usually"), EARS C1 (the last seven weeks,
which the outbreak's first week may already raise), the CUSUM (its in-control mean), the surge
rule, the change-level rule (a four-week window, not a week), the scan (days, not weeks) and last
the severity-weighted surge (weights, not reports).

**The priority** orders the list: the highest alert level among the reports behind any of its
detections, then the excess of the headline's observed over its expected value, then the
longest return period any of its detections gives (``priority``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

PREFERENCE = (
    "farrington",
    "farrington2w",
    "ears_c2",
    "ears_c3",
    "ears_c1",
    "nb_cusum",
    "surge",
    "change_level",
    "scan",
    "kematian",
)
WEIGHTED = "berbobot"


def nested(a: str, b: str) -> bool:
    """The same region, or one inside the other (region codes are dotted paths)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def overlaps(first: date, last: date, other_first: date, other_last: date) -> bool:
    return first <= other_last and other_first <= last


@dataclass(frozen=True)
class Found:
    """A detection as the grouping sees it: where, which isu, which days it counts."""

    region: str
    isu: str
    first: date
    last: date
    detector: str = ""


def joins(found: Found, event: Found) -> bool:
    """Whether ``found`` belongs to the event whose first detection is ``event``."""
    return (
        found.isu == event.isu
        and event.detector != "kematian"
        and found.detector != "kematian"
        and nested(found.region, event.region)
        and overlaps(found.first, found.last, event.first, event.last)
    )


def group(found: Sequence[Found], same_decider: Callable[[str, str], bool] | None = None) -> list[list[int]]:
    """The events of ``found``, in the order given (kecamatan, kabupaten, then clusters): each
    a list of indexes into ``found``, its first detection first. What ``detect.py`` does one
    detection at a time against the database."""
    events: list[list[int]] = []
    for i, item in enumerate(found):
        for members in events:
            head = found[members[0]]
            if joins(item, head) and (same_decider is None or same_decider(item.region, head.region)):
                members.append(i)
                break
        else:
            events.append([i])
    return events


class Detection(Protocol):
    detector: str
    series: str
    region_id: str
    observed: float
    expected: float
    recurrence_days: float | None


D = TypeVar("D", bound=Detection)


def preference_of(detector: str) -> int:
    return PREFERENCE.index(detector) if detector in PREFERENCE else len(PREFERENCE)


def preference(detection: Detection, region: str) -> tuple[int, int, int]:
    order = preference_of(detection.detector)
    return (detection.series == WEIGHTED, detection.region_id != region, order)


def by_preference(detections: Sequence[D], region: str) -> list[D]:
    """The detections, the one whose figures the event shows first (stable otherwise)."""
    return sorted(detections, key=lambda d: preference(d, region))


@dataclass(frozen=True)
class Priority:
    level_rank: int
    excess: float | None
    return_days: float | None


def priority(detections: Sequence[Detection], region: str, level_rank: int) -> Priority:
    """The event's priority: ``level_rank`` (the highest ``ALERT_RANK`` of its reports), the
    headline's excess over expected, the longest return period of its detections."""
    head = by_preference(detections, region)[0]
    periods = [d.recurrence_days for d in detections if d.recurrence_days]
    return Priority(
        level_rank=level_rank,
        excess=round(head.observed - head.expected, 4),
        return_days=max(periods) if periods else None,
    )
