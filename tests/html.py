import re
from html.parser import HTMLParser

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)


def assert_no_inline_code(html: str) -> None:
    """A strict Content-Security-Policy allows scripts from files only and no style attributes."""
    assert "style=" not in html
    assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html).group(0)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form = None
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") == "checkbox" else ""
            self._form.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self._form.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self._form[self._textarea][0]
            self._form[self._textarea][0] = text[1:] if text.startswith("\n") else text  # as browsers do
            self._textarea = None


def form_fields(html: str) -> dict[str, list[str]]:
    """The fields of the page's largest form as a browser would submit them unchanged
    (name → values; unticked boxes left out), to post back with some of them changed."""
    parser = _Forms()
    parser.feed(html)
    form = max(parser.forms, key=len)
    return dict(form)
