"""Arabic formats: the Arabic comma "،" between the date and the time, Western digits as in
the Maghreb partners' administrations, "." to group thousands and "," before decimals."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
