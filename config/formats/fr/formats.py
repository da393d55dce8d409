"""French formats beyond Django's own (`FORMAT_MODULE_PATH`): the long date and time the
templates name with `date:"DATE_FORMAT"` / `date:"DATETIME_FORMAT"`."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
