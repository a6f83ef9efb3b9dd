"""Questionnaire wording: shipped (licence allows it, `shippable`) and clinic-loaded content packs (`packs`)."""
