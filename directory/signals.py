"""Signals the directory sends besides Django's own."""

from django.dispatch import Signal

# Rows of `sender` that one set-based write changed without a post_save per row (e.g.
# publishing a whole price list): `instances`, as saved. Whatever keeps itself in step with
# the directory through post_save (search index, data version, response cache) listens to this
# too, and treats it like a post_save of each instance.
bulk_saved = Signal()
