"""Demo data: ``python manage.py seed_demo`` loads the reference data of docs/domain.md."""
