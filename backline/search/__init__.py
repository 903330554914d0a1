"""Global search: one box across everything a person may see (their inquiries and bookings, their
agencies' clients and performers, the public act and venue profiles), on the web and through the API. It
reads the apps below it and owns no data; the bookings keep their own search column
(``backline.bookings.indexing``)."""
