"""Personal data as the screens show it: masked unless revealed, phones readable."""

from typing import Any

from django import template

from manyi.customers.contacts import display_phone, mask_contact, mask_id_number

register = template.Library()


@register.filter
def masked(contact: Any) -> str:
    return mask_contact(contact.channel, contact.value)


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value or "")


@register.filter
def phone(value: str) -> str:
    return display_phone(value)
