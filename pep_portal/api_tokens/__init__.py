"""Personal API tokens (django-rest-knox tokens with a name), created on the profile page."""
