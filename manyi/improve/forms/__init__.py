"""Forms of improvement: targets (targets.py) and action plans (actions.py)."""
