"""Alembic migrations; shipped inside the wheel as ``newsclaims.migrations``."""
