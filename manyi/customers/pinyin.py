"""Names as pinyin, so a customer is found by typing 'liming' or 'lm' on a keyboard
without Chinese input: the full syllables run together, then the initials."""

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    """``李明`` → ``"liming lm"``; letters in the name are kept, lowercased."""
    name = (name or "").strip()
    if not name:
        return ""
    full = "".join(lazy_pinyin(name)).replace(" ", "").lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).replace(" ", "").lower()
    return f"{full} {initials}"[:400]


def looks_like_pinyin(query: str) -> bool:
    """A search of two or more Latin letters (and spaces) may be a name in pinyin."""
    letters = query.replace(" ", "")
    return len(letters) >= 2 and letters.isascii() and letters.isalpha()
