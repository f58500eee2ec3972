FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/pep/app
COPY requirements.lock pyproject.toml ./
# Only the runtime dependencies (pyproject's [project].dependencies), at the versions pinned in
# requirements.lock: no test tools or browsers in the image (tests/test_packaging.py checks
# that these cover every import in the portal's code).
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/runtime.txt \
    && pip install --no-cache-dir -c requirements.lock -r /tmp/runtime.txt \
    && rm /tmp/runtime.txt
COPY . .
RUN useradd --system --home /srv/pep pep && mkdir -p /srv/pep/media /srv/pep/static && chown -R pep /srv/pep
USER pep
EXPOSE 8000
CMD ["gunicorn", "pep_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
