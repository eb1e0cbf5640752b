"""Handing the record on: a FHIR bundle for the EHR, the RFA prior-authorization packet and the
printable episode summary (API_CONTRACT.md v1.1 "Sharing the record").

The REDCap export lives with the other de-identified exports, in reports/sharing/.
"""
