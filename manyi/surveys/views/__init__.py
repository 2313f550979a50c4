"""Screens of the surveys app, one module per concept."""
