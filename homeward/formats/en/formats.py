# Dates as "30 Dec 2018": unambiguous for readers in every country the programme spans.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
# The first is how a date field shows its value; every language also reads the others, so
# a date typed as a Russian or Iraqi colleague writes it is understood in any interface.
# Never month first: 03/04/2014 would be read two ways.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
YEAR_MONTH_FORMAT = "F Y"
