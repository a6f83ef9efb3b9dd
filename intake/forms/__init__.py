"""Forms, one module per side (patient, review/consent, ...)."""
