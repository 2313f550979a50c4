from django import template

from manyi.customers.contacts import mask_contact

register = template.Library()


@register.filter
def masked(recipient: str, channel: str) -> str:
    """A message's recipient as the outbox shows it: never in full."""
    return mask_contact("email" if channel == "email" else "phone", recipient)
