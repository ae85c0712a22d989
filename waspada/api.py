"""The REST API under /api/v1/; its OpenAPI document is served at /api/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from waspada.regions.api import router as regions_router

api = NinjaAPI(
    title="Waspada API",
    version="1",
    description="API sistem kewaspadaan dini lintas forum / cross-forum early-warning API",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[django_auth],
)
api.add_router("/v1/regions", regions_router)
