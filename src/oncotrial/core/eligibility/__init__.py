"""Eligibility: every criterion is a small rule; screening evaluates them all."""
