"""Units and staff accounts: not customers' data. A staff member's own account is kept
and changed on the staff screens."""

from manyi.privacy.registry import exempt

exempt(
    "org.Staff",
    "email", "first_name", "last_name", "full_name", "phone",
    why="a staff member's own work account",
)  # fmt: skip
exempt("org.Unit", "name", "address", "province", "city", why="a store's name and address")
