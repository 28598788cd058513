"""KOV staff for admin browser tests: real accounts in the real groups, logged in through the
login form, with the admin in the language they chose in their Wagtail account settings.

`ADMIN_BUTTONS_SCRIPT` lists every submit button on a page whose request would not be what its
label promises: a button without a form owner (it does nothing), or a POST without a CSRF token
(403). `parsed_forms_lost` compares the forms in the HTML with those the browser built: a form
nested inside another is dropped by the HTML parser, and its first `</form>` closes the outer one."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

ADMIN_BUTTONS_SCRIPT = """() => {
  const problems = [];
  const buttons = document.querySelectorAll('button, input[type=submit], input[type=image]');
  for (const b of buttons) {
    if (b.closest('template')) continue;
    const type = (b.getAttribute('type') || 'submit').toLowerCase();
    if (type !== 'submit' && type !== 'image') continue;
    const label = (b.innerText || b.value || b.getAttribute('aria-label') || b.name || '?').trim();
    const form = b.form;
    if (!form) { problems.push(label + ': no form owner'); continue; }
    const method = (b.getAttribute('formmethod') || form.getAttribute('method') || 'get').toLowerCase();
    if (method !== 'post') continue;
    const token = [...form.elements].some(el => el.name === 'csrfmiddlewaretoken' && el.value);
    if (!token) problems.push(label + ': POST without a CSRF token');
  }
  return problems;
}"""

_FORM_TAG = re.compile(r"<form[\s>]", re.I)
_TEMPLATE = re.compile(r"<template[\s>].*?</template>", re.I | re.S)


def parsed_forms_lost(page, html: str) -> int:
    """How many <form> start tags of `html` (outside <template>s) the browser did not build."""
    in_html = len(_FORM_TAG.findall(_TEMPLATE.sub("", html)))
    in_dom = page.evaluate("document.forms.length")
    return in_html - in_dom


def button_problems(page) -> list[str]:
    return page.evaluate(ADMIN_BUTTONS_SCRIPT)


def staff(username: str, *group_names: str, language: str = "", **names):
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.create_user(
        username, f"{username}@kov.example", "pw-" + username, **names
    )
    user.groups.set(Group.objects.filter(name__in=group_names))
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return user


def log_in(browser, url: str, user, *, width: int = 1366, height: int = 900):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw-" + user.username)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/admin/")
    return context, page
