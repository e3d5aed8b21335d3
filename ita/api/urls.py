"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json)."""

from ninja import NinjaAPI

api = NinjaAPI(title="ITA Online API", version="1", urls_namespace="api-v1")


@api.get("/health", tags=["meta"])
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}
