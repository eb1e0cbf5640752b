"""The store: the engine's readings and suggestions, kept in the database beside the record.

`readings` computes and writes them (called by blocks.services inside each write's
transaction, and in batches by `manage.py refresh_readings`); `engine_input` builds the
engine's input from rows; `bulk` inserts rows fast. The store reads blocks and writes
reports.models; it never imports the report chain (filters, data, tables, charts, exports),
which reads the store.
"""
