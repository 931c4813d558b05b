"""Exceptions raised by the methodology core."""


class MethodologyError(ValueError):
    """A rule was given inputs it cannot judge (negative counts, impossible combinations)."""
