"""The trial conductor: drives the real services to build a SIMULATED NCT07304388 trial."""
