"""The audit trail made readable: who changed what, when, from which value to which.

`history` turns django-simple-history's rows into entries and field changes (pure
bookkeeping, a fixed number of queries per record); `views` shows them as pages and
hosts the procedure edit page, which refuses a stale edit with a 409.
"""
