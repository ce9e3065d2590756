"""Data in and out: importers (CSV, TSV, JSON, JSON Lines, vCard) and exporters
(JSON, JSON Lines, CSV, iCalendar). No terminal here: the CLI renders the results."""
