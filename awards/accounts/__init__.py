"""Users, roles, sign-in, registration, e-mail verification and password reset."""
