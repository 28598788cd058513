# Django's Estonian formats leave the short date-time to the US default ("m/d/Y P").
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
