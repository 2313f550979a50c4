"""Improvement services, the only place its state changes: targets (targets.py) and
action plans (actions.py)."""
