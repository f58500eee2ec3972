"""Categorisation of schools causing concern (3Ms) and letters of concern."""
