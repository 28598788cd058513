import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)


def assert_no_inline_code(html: str) -> None:
    """A strict Content-Security-Policy allows scripts from files only and no style attributes."""
    assert "style=" not in html
    assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html).group(0)
