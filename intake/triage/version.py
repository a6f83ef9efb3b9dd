"""Versions stored with every summary (design.md: re-running an intake with the same version reproduces it).

Bump RULES_VERSION whenever a rule, threshold, band or output changes meaning.
"""

CONTRACT_VERSION = "1"
RULES_VERSION = "2026.11-r1"
