"""The report taxonomy, re-exported from ``waspada.lib.taxonomy`` where it lives.

Kept so the many modules above reports (and branches in flight) keep importing it from here;
apps below reports (notify) import ``waspada.lib.taxonomy``, as new code should.
"""

from waspada.lib.taxonomy import (
    ALERT_RANK,
    AlertLevel,
    Athg,
    Classification,
    Gatra,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
    highest_level,
)

__all__ = [
    "ALERT_RANK",
    "AlertLevel",
    "Athg",
    "Classification",
    "Gatra",
    "InfoCredibility",
    "Isu",
    "Jenis",
    "SourceReliability",
    "highest_level",
]
