# Production image for Samen: the web process (gunicorn), the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=samen.settings
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# Build-time only: compile the translations and collect static files (no secrets baked in).
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
    && DJANGO_SECRET_KEY=build-only SAMEN_MANIFEST_STATIC=1 python manage.py collectstatic --noinput -v 0
# /app/private holds scans of consents (SAMEN_PRIVATE_MEDIA_ROOT); a volume keeps them.
RUN useradd --create-home --uid 1000 samen && mkdir -p /app/private && chown -R samen /app
USER samen
EXPOSE 8000
CMD ["gunicorn", "samen.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
