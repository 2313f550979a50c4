"""The base of every domain error: views turn these into a message, never a 500."""


class DomainError(Exception):
    """A rule of the business was broken; ``str(error)`` is safe to show the user."""
