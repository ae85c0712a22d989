"""Detectors: pure functions over count series, no database, no Django.

Each module documents its parameters and the publication it follows. Every weekly detector
returns a :class:`~waspada.detection.detectors.result.Detection` for the *last* element of the
series it is given (the current period), so the same code runs in production, in the tests and
in the benchmarks.
"""
