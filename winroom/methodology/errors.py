"""Exceptions raised by the methodology core."""


class MethodologyError(ValueError):
    """A rule was given inputs it cannot judge (negative counts, impossible combinations)."""


class ReasonRequiredError(MethodologyError):
    """A default suggested by the method was overridden without the reason the method asks for."""
