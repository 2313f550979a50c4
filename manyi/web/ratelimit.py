"""A small fixed-window rate limit on the shared cache, for the public forms."""

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit on ``key``; False once more than ``limit`` fall in the window."""
    bucket = f"rl:{key}"
    if cache.add(bucket, 1, timeout=seconds):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=seconds)
        return True
