"""The demo network: a realistic dealer group with structure for analysis to find."""
