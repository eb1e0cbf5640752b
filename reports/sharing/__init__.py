"""The registry export: a REDCap project's data dictionary and records, de-identified."""
