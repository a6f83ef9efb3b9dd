"""Views, one module per side; the patient wizard is `patient`."""
