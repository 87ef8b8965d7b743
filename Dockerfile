# Production image of the LTI 1.3 tool: gunicorn, non-root, health-checked.
#
#   docker build -t bb-lti-tool .
#   docker run --env-file tool.env -v bb-lti-instance:/app/instance \
#       -p 127.0.0.1:8000:8000 bb-lti-tool
#
# Registrations, keys and the file cache live in /app/instance: mount a volume
# there. The local platform (devplatform/), tests and instance/ are not copied.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed uid, so that a host folder mounted on /app/instance can be chowned.
# The home folder is writable: gunicorn puts its control socket there
# (~/.gunicorn/gunicorn.ctl) when XDG_RUNTIME_DIR is not set.
RUN groupadd --system --gid 10001 tool \
    && useradd --system --uid 10001 --gid tool --create-home \
        --home-dir /home/tool --shell /usr/sbin/nologin tool

WORKDIR /app

# Runtime dependencies only (requirements-dev.txt stays out of the image).
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY app ./app
COPY templates ./templates
COPY static ./static
COPY config.py wsgi.py gunicorn.conf.py ./

# Compile now: the code is owned by root and the tool user cannot write it.
RUN python -m compileall -q app config.py wsgi.py \
    && mkdir -p /app/instance \
    && chown tool:tool /app/instance \
    && chmod 0700 /app/instance

ENV APP_ENV=production \
    FLASK_APP=wsgi

USER tool
VOLUME ["/app/instance"]
EXPOSE 8000

# No curl in slim images: ask /healthz with Python, on the port gunicorn binds.
# A 503 (cache unreachable) or no answer makes urlopen raise, so the check fails.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('GUNICORN_BIND', '0.0.0.0:8000').rsplit(':', 1)[-1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
