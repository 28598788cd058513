"""Target size (WCAG 2.2 2.5.8): on every public page type, in et, ru and en, on a phone (320 CSS
px) and a desktop (1280), every link, button and form control is at least 24×24 CSS px or
spaced as the criterion allows (links inside text are exempt); submit buttons, the primary
actions, are 44×44. The measurement is in targets.py."""

import pytest

from .targets import TARGETS_SCRIPT
from .test_reflow import every_page_type

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 1280])
def test_every_target_is_large_enough_or_spaced(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    failures = []
    for lang in ("et", "ru", "en"):
        for path in every_page_type(site).values():
            url = site["url"] + path.format(lang=lang)
            page.goto(url)
            for problem in page.evaluate(TARGETS_SCRIPT):
                failures.append(f"{url}: {problem}")
    context.close()
    assert not failures, "\n".join(failures)


def test_the_measurement_flags_crowded_small_links_and_spares_links_in_text(browser, site):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.set_content(
        """<p>Read <a href="#a">the notice</a> first.</p>
        <div><a href="#b">b</a><a href="#c">c</a></div>
        <ul><li><a href="#d" style="display:inline-block;padding:6px">spaced</a></li></ul>
        <form><button>Go</button></form>"""
    )
    problems = {p["what"].split("“")[1].rstrip("”"): p["reason"] for p in page.evaluate(TARGETS_SCRIPT)}
    context.close()
    assert set(problems) == {"b", "c", "Go"}
    assert problems["Go"] == "primary action under 44×44"
