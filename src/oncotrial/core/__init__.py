"""Pure clinical domain: standard library only, no I/O, no clock, no global randomness."""
