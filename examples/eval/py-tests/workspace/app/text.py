"""Text helpers."""


def initials(name: str) -> str:
    """The upper-case first letters of the words of a name."""
    return "".join(word[0].upper() for word in name.split())


def is_palindrome(text: str) -> bool:
    """Whether the letters of a text read the same both ways, ignoring case."""
    letters = [char.lower() for char in text if char.isalnum()]
    return letters == letters[::-1]
