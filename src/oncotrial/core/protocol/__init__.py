"""The protocol as data: a typed model, built and validated from a plain mapping."""
