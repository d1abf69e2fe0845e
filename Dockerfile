# hadath with the PostgreSQL driver and Dask: the image of docker-compose.yml's services.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md LICENSE NOTICE ./
COPY src ./src
RUN pip install --no-cache-dir '.[postgres,cluster]'
EXPOSE 8000
CMD ["hadath", "serve", "--host", "0.0.0.0"]
