"""The care app's models: contact with customers (rules, callbacks, touches, owner
events) in ``care``, churn risk and win-back in ``churn``."""

from manyi.care.models.care import *  # noqa: F403
from manyi.care.models.churn import *  # noqa: F403
