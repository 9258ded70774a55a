"""Demo data: ``python manage.py seed_demo`` loads the reference data of DOMAIN.md."""
