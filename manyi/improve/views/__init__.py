"""Improvement screens: targets (targets.py) and action plans (actions.py)."""
