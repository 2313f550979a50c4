"""manyi (满意): customer satisfaction management for service networks."""

__version__ = "0.1.0"
