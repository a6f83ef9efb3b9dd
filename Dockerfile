FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY clinic ./clinic
COPY intake ./intake
# The locked versions (scripts/lock), then the app itself without re-resolving its dependencies.
RUN pip install --no-cache-dir -r requirements.lock && pip install --no-cache-dir --no-deps .
COPY . .
# Production settings: hashed, compressed static files (WhiteNoise's manifest). The key is for this step only.
ENV DJANGO_SETTINGS_MODULE=clinic.settings_production
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "clinic.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
