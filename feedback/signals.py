"""Signals other apps hook into.

`report_answered` is sent (after the transaction commits) when a KOV editor writes or changes
the reply to a resident's report who gave an e-mail address. Arguments: `report` (the Report,
with `email`, `language` and `reply`), `reply` (the text), `user` (who wrote it). Sending the
e-mail is the receiver's job (notifications: `tasks.reply_to_resident`, once per reply, in the
resident's language); the admin only stores the reply."""

from django.dispatch import Signal

report_answered = Signal()
