"""A small interface for text messages, beside Django's e-mail framework.

`send_sms(to, body)` hands the message to the backend named by TRACKER_SMS_BACKEND. The
default, LogSmsBackend, writes it to the `tracker.sms` log with the patient's token masked
and the number shortened, so development needs no provider; a clinic plugs its provider in
with a class that has the same `send(to, body)` method. `LocmemSmsBackend` keeps messages in
`outbox` for tests, as Django's locmem e-mail backend does.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from tracker.logging import mask_tokens

logger = logging.getLogger("tracker.sms")

outbox: list[tuple[str, str]] = []


class LogSmsBackend:
    def send(self, to: str, body: str) -> None:
        logger.info("SMS to …%s: %s", to[-3:], mask_tokens(body))


class LocmemSmsBackend:
    def send(self, to: str, body: str) -> None:
        outbox.append((to, body))


def send_sms(to: str, body: str) -> None:
    import_string(settings.TRACKER_SMS_BACKEND)().send(to, body)
