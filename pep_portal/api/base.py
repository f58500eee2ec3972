"""What every /api/v1/ endpoint shares: CSV, cursor pages, ETags, JSON errors, the base view.

- CSV: every list is also CSV (``?format=csv`` or ``Accept: text/csv``), one row per item,
  nested objects flattened (``nightly_gap``), every cell through the portal's one
  formula-injection guard (:func:`pep_portal.platform.spreadsheets.escape_formula`).
- Pages: cursor pagination on a unique integer key (stable and as fast on page 1,000 as on
  page 1); ``page_size`` up to :data:`MAX_PAGE_SIZE`.
- ETag / Last-Modified: from the rows' keys and ``updated_at`` (or their data), the published
  snapshot's run, the query string, the format and the user, so a repeat that finds nothing
  new gets ``304 Not Modified`` without building the body.
- Errors: every 4xx is JSON ``{"status", "detail", "errors"?}``; bad parameters name the
  parameter (``{"errors": {"year": ["Enter a number."]}}``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import django_filters
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pep_portal.platform.params import DB_INT_MAX, BadParameter, is_out_of_range_error

from .auth import NamedPermission
from .renderers import CSVRenderer, serializer_columns

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


# --- Pagination ------------------------------------------------------------------------------


class ApiCursorPagination(CursorPagination):
    """Cursor pages over a unique integer key: stable, and fast deep into large lists."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Items per page (1 to {MAX_PAGE_SIZE}; default {DEFAULT_PAGE_SIZE})."
    )
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"

    def get_ordering(self, request, queryset, view):
        return (getattr(view, "cursor_ordering", self.ordering),)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return min(size, self.max_page_size)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = False
        if cursor is False or (
            cursor is not None
            and cursor.position is not None
            and not str(cursor.position).lstrip("-").isdigit()
        ):
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the next/previous links as given."]}
            )
        return cursor

    def get_paginated_response(self, data, extra: dict | None = None):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        body.update(extra or {})
        body["results"] = data
        response = Response(body)
        links = []
        if body["next"]:
            links.append(f'<{body["next"]}>; rel="next"')
        if body["previous"]:
            links.append(f'<{body["previous"]}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


# --- Conditional requests --------------------------------------------------------------------


def make_etag(*parts) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return quote_etag(digest.hexdigest())


def not_modified(request, etag: str, last_modified) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since only when it is absent."""
    inm = request.headers.get("If-None-Match")
    if inm:
        tags = parse_etags(inm)
        bare = etag.removeprefix("W/")
        return "*" in tags or any(t.removeprefix("W/") == bare for t in tags)
    ims = request.headers.get("If-Modified-Since")
    if ims and last_modified is not None:
        since = parse_http_date_safe(ims)
        return since is not None and int(last_modified.timestamp()) <= since
    return False


# --- Errors ----------------------------------------------------------------------------------


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def api_exception_handler(exc, context):
    """DRF's handler, then one JSON shape for every error (never an HTML page)."""
    if isinstance(exc, BadParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    elif is_out_of_range_error(exc):
        exc = exceptions.ValidationError(
            {"detail": [f"A number in the request is out of range (largest: {DB_INT_MAX})."]}
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    body: dict = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"detail": data}
        errors = {str(k): _messages(v) for k, v in errors.items()}
        named = [k for k in errors if k not in ("detail", "non_field_errors")]
        if named:
            first = named[0]
            body["detail"] = f"Invalid value for '{first}': {errors[first][0]}"
        else:
            body["detail"] = "; ".join(_messages(errors))
        body["errors"] = errors
    else:
        body["detail"] = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    if isinstance(exc, exceptions.Throttled) and getattr(exc, "wait", None):
        body["retry_after"] = int(exc.wait + 0.999)
        response["Retry-After"] = str(body["retry_after"])
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    retry_after = serializers.IntegerField(required=False, help_text="Seconds (429 only).")


_ERROR_DESCRIPTIONS = {
    "400": "A parameter is not valid: `errors` names it.",
    "401": "No token, or the token is unknown, revoked or expired.",
    "403": "Your role may not use this endpoint.",
    "404": "Not found (or not yours to see).",
    "406": "The format asked for is not offered.",
    "429": "Too many requests for this token: wait `Retry-After` seconds.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular hook: document the JSON error body of every 4xx on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["status", "detail"],
        "properties": {
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "retry_after": {"type": "integer"},
        },
    }
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "head", "options", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _ERROR_DESCRIPTIONS.items():
                responses.setdefault(
                    code,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
            if method == "get":
                responses.setdefault("304", {"description": "Not modified (ETag matched)."})
    return result


# --- The base view ---------------------------------------------------------------------------


class PortalListViewSet(viewsets.GenericViewSet):
    """A list: named-permission, CSV-able, conditional (ETag), cursor-paged.

    ``permission_required``: named permissions for the endpoint (the pages' own);
    ``object_permission_required``: checked on each object (404 when denied, never 403).
    Subclasses scope ``get_queryset`` through the app's selectors.
    """

    permission_classes = [NamedPermission]
    pagination_class = ApiCursorPagination
    filterset_class = None
    permission_required: tuple[str, ...] = ()
    object_permission_required: str | None = None
    # The unique integer key the cursor pages over.
    cursor_ordering = "id"

    @classmethod
    def as_view(cls, *args, **kwargs):
        # Tokens authenticate inside DRF, after Django's LoginRequiredMiddleware: DRF itself
        # answers anonymous requests (401 JSON), so the middleware must let them through.
        return login_not_required(super().as_view(*args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(
            getattr(response, "accepted_renderer", None), CSVRenderer
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        patch_vary(response)
        return response

    def permitted(self, queryset):
        """``queryset``, or none of it where the user lacks the endpoint's
        ``permission_required``: NamedPermission refuses such a request first, and this keeps
        ``get_queryset`` empty for them wherever else it is called."""
        user = self.request.user
        if all(user.has_perm(perm) for perm in self.permission_required):
            return queryset
        return queryset.none()

    # CSV header: the serializer's fields, flattened.
    def csv_columns(self) -> list[str]:
        return serializer_columns(self.get_serializer_class()())

    # Hooks for subclasses.
    def snapshot_key(self):
        return None

    def extra_meta(self) -> dict:
        return {}

    def version_of(self, rows: Iterable) -> object:
        """What changes whenever a page's content does (default: its serialized data)."""
        return None

    def last_modified_of(self, rows) -> object:
        return None

    def serialize_page(self, rows) -> list:
        return self.get_serializer(rows, many=True).data

    def _etag(self, version, data=None) -> str:
        renderer = getattr(self.request, "accepted_renderer", None)
        return make_etag(
            self.request.get_full_path(),
            getattr(renderer, "format", ""),
            self.request.user.pk,
            self.snapshot_key(),
            version if version is not None else data,
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(queryset)
        if rows is None:
            rows = list(queryset)
        version = self.version_of(rows)
        last_modified = self.last_modified_of(rows)
        data = None
        if version is None:
            data = self.serialize_page(rows)
        etag = self._etag(version, data)
        headers = {"ETag": etag}
        if last_modified is not None:
            headers["Last-Modified"] = http_date(last_modified.timestamp())
        if not_modified(request, etag, last_modified):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        if data is None:
            data = self.serialize_page(rows)
        if (
            self.paginator is not None
            and self.paginator.page_size
            and hasattr(self.paginator, "has_next")
        ):
            response = self.paginator.get_paginated_response(data, extra=self.extra_meta())
        else:
            response = Response(data)
        for key, value in headers.items():
            response[key] = value
        return response


class PortalReadOnlyViewSet(PortalListViewSet):
    """A list and its items (``retrieve`` answers 404 for an item the user may not see)."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = self._etag(None, data)
        if not_modified(request, etag, None):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})


def patch_vary(response) -> None:
    from django.utils.cache import patch_vary_headers

    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))


def json_not_found(request, *args, **kwargs):
    """Any other path under /api/: a JSON 404, never the HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"status": 404, "detail": "No such API endpoint."}, status=404)


json_not_found = login_not_required(json_not_found)


# --- Strict filters ----------------------------------------------------------------------------


class StaticFormFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class, not on every request.

    django-filter builds a new form class from its filters' form fields for each request
    (about 2 ms of a results page). For a filterset whose fields never depend on the request
    (no callable querysets), the class is the same every time; the form itself is still
    made per request (its fields deep-copied, as Django forms do).
    """

    _static_form_class: type | None = None

    def get_form_class(self):
        cls = type(self)
        if cls.__dict__.get("_static_form_class") is None:
            cls._static_form_class = super().get_form_class()
        return cls._static_form_class


class CommaListWidget(QueryArrayWidget):
    """``?x=a,b`` and ``?x=a&x=b`` (and ``x[]=a``) all give ["a", "b"]."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        if not raw and hasattr(data, "getlist"):
            raw = data.getlist(f"{name}[]")
        values: list[str] = []
        for item in raw:
            for part in str(item or "").split(","):
                part = part.strip()
                if part and part not in values:
                    values.append(part)
        return values


class StrictBooleanField(forms.Field):
    TRUE = {"true", "1", "yes"}
    FALSE = {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A boolean that answers 400 to anything but true/false (django-filter ignores it)."""

    field_class = StrictBooleanField


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """Numbers, comma-separated: ``?urn=1,2``."""


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of object by id (documented as an integer)."""
