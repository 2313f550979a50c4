"""Reads of improvement, scoped: targets and their progress (targets.py); actions, the
board and its summary (actions.py)."""
