FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/pep/app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN useradd --system --home /srv/pep pep && mkdir -p /srv/pep/media /srv/pep/static && chown -R pep /srv/pep
USER pep
EXPOSE 8000
CMD ["gunicorn", "pep_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
