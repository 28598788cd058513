"""Target size (WCAG 2.2 2.5.8, level AA), measured in the browser: every link, button and form
control on the page is at least 24×24 CSS px, unless one of the criterion's exceptions holds —

- *inline*: a link inside a sentence or a block of text (its block holds words besides links);
- *spacing*: a 24 px circle centred on the target touches no other target and no other
  undersized target's circle.

Primary actions (a form's submit button) must be larger: 44×44 CSS px (the size of 2.5.5).

`TARGETS_SCRIPT` returns {what, width, height, reason} for each target that fails."""

TARGETS_SCRIPT = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=option], [role=combobox]';
  const shown = el => {
    // not rendered: hidden, or inside a closed <details> (content-visibility)
    if (el.closest('[hidden], template') || !el.checkVisibility({visibilityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;  // visually hidden (1 px)
    return r.right > 0 && r.left < document.documentElement.scrollWidth;  // not the skip link
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown);
  const rects = new Map(targets.map(el => [el, el.getBoundingClientRect()]));
  const block = el => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  const inline = el => {
    if (el.tagName !== 'A' || !getComputedStyle(el).display.startsWith('inline')) return false;
    const container = block(el);
    if (!container) return false;
    const words = container.cloneNode(true);  // the block's words besides its controls
    words.querySelectorAll('a, button, input, select, .visually-hidden').forEach(n => n.remove());
    return /[\\p{L}\\p{N}]{2,}/u.test(words.textContent);
  };
  const small = r => r.width < 23.99 || r.height < 23.99;
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const toRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right),
                                           Math.max(r.top - y, 0, y - r.bottom));
  const name = el => (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
    .trim().slice(0, 40);
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className
       ? '.' + el.className.trim().replace(/\\s+/g, '.') : '')
    + ' “' + name(el) + '”';
  const problems = [];
  const fail = (el, r, reason) => problems.push(
    {what: describe(el), width: Math.round(r.width), height: Math.round(r.height), reason});
  for (const el of targets) {
    const r = rects.get(el);
    if (el.matches('button[type=submit], button:not([type]), input[type=submit]')) {
      if (r.width < 43.99 || r.height < 43.99) fail(el, r, 'primary action under 44×44');
      continue;
    }
    if (!small(r) || inline(el)) continue;
    const c = centre(r);
    const clash = targets.find(other => {
      if (other === el || other.contains(el) || el.contains(other)) return false;
      const o = rects.get(other);
      if (toRect(c, o) < 11.99) return true;
      return small(o) && !inline(other) && Math.hypot(c[0] - centre(o)[0], c[1] - centre(o)[1]) < 23.99;
    });
    if (clash) fail(el, r, 'too close to ' + describe(clash));
  }
  return problems;
}"""
